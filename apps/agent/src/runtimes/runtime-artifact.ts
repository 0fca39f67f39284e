import { z } from "zod";
import { RuntimeError } from "./runtime-errors";

/** Folder-safe: never `.`/`..`, no separators; dot-leading names are the store's own. */
export const RuntimeName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, "name: lower-case letters, digits, - and _ (max 64)");
export type RuntimeName = z.infer<typeof RuntimeName>;

export const RuntimeVersion = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$/, "version: letters, digits, . _ + - (max 64)");
export type RuntimeVersion = z.infer<typeof RuntimeVersion>;

export const RuntimeArtifact = z.object({
  name: RuntimeName,
  version: RuntimeVersion,
  url: z.url({ protocol: /^https?$/, error: "url: must be an http or https URL" }),
  sha256: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, "sha256: 64 hex characters")
    .transform((value) => value.toLowerCase()),
  size: z.number().int().positive().optional(),
});
export type RuntimeArtifact = z.infer<typeof RuntimeArtifact>;

export function parseRuntimeArtifact(input: unknown): RuntimeArtifact {
  const parsed = RuntimeArtifact.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => issue.message).join("; ");
    throw new RuntimeError("invalid_artifact", `invalid runtime artifact: ${problems}`);
  }
  return parsed.data;
}

export function parseRuntimeKey(name: string, version: string): { name: string; version: string } {
  const parsed = z
    .object({ name: RuntimeName, version: RuntimeVersion })
    .safeParse({ name, version });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => issue.message).join("; ");
    throw new RuntimeError("invalid_artifact", `invalid runtime: ${problems}`);
  }
  return parsed.data;
}
