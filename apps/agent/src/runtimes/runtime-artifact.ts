import { ArtifactSha256, ArtifactUrl, RuntimeName, RuntimeVersionName } from "@berth/protocol";
import { z } from "zod";
import { RuntimeError } from "./runtime-errors";

/**
 * What the store installs: the wire's `RuntimeArtifact` (same field rules) without its PATH
 * folder, which is no concern of the store's.
 */
export const StoreArtifact = z.object({
  name: RuntimeName,
  version: RuntimeVersionName,
  url: ArtifactUrl,
  sha256: ArtifactSha256,
  size: z.number().int().positive().optional(),
});
export type StoreArtifact = z.infer<typeof StoreArtifact>;

export function parseRuntimeArtifact(input: unknown): StoreArtifact {
  const parsed = StoreArtifact.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => issue.message).join("; ");
    throw new RuntimeError("invalid_artifact", `invalid runtime artifact: ${problems}`);
  }
  return parsed.data;
}

export function parseRuntimeKey(name: string, version: string): { name: string; version: string } {
  const parsed = z
    .object({ name: RuntimeName, version: RuntimeVersionName })
    .safeParse({ name, version });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => issue.message).join("; ");
    throw new RuntimeError("invalid_artifact", `invalid runtime: ${problems}`);
  }
  return parsed.data;
}
