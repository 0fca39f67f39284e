// The link's handlers reach a part of the agent (its servers, consoles, files, mods) that loads
// once at start and may have failed to: every command gets an answer saying so, never a throw.
import { fail, type Result } from "@berth/protocol";

/** Awaits the part, then uses it; an absent or failed part is answered as INTERNAL. */
export async function withPart<P, T>(
  part: (() => Promise<P>) | undefined,
  use: (part: P) => Result<T> | Promise<Result<T>>,
): Promise<Result<T>> {
  if (!part) return fail("INTERNAL", "This agent does not run servers");
  let found: P;
  try {
    found = await part();
  } catch (err) {
    return fail("INTERNAL", `This agent cannot run servers: ${(err as Error).message}`);
  }
  return use(found);
}
