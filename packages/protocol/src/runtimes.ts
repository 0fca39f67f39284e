import { z } from "zod";

/** Folder-safe: never `.`/`..`, no separators; dot-leading names are the agent store's own. */
export const RuntimeName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, "name: lower-case letters, digits, - and _ (max 64)");
export type RuntimeName = z.infer<typeof RuntimeName>;

/** A version string; part of the agent's store path, so folder-safe as well. */
export const RuntimeVersionName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$/, "version: letters, digits, . _ + - (max 64)");
export type RuntimeVersionName = z.infer<typeof RuntimeVersionName>;

export const ArtifactUrl = z.url({
  protocol: /^https?$/,
  error: "url: must be an http or https URL",
});

export const ArtifactSha256 = z
  .string()
  .regex(/^[0-9a-fA-F]{64}$/, "sha256: 64 hex characters")
  .transform((value) => value.toLowerCase());

/** The folder inside the extracted artifact that goes on PATH: relative, never leaving it. */
export const RuntimeBinPath = z
  .string()
  .min(1)
  .max(256)
  .refine(
    (p) =>
      !p.startsWith("/") &&
      !p.includes("\\") &&
      // eslint-disable-next-line no-control-regex
      !/[\u0000-\u001f]/.test(p) &&
      p.split("/").every((segment) => segment !== ".." && segment !== ""),
    "binPath: a relative path inside the artifact, without ..",
  );

/** One pinned artifact a dev server needs installed on its node (a runtime or an addon). */
export const RuntimeArtifact = z.object({
  name: RuntimeName,
  version: RuntimeVersionName,
  url: ArtifactUrl,
  sha256: ArtifactSha256,
  sizeBytes: z.number().int().positive().optional(),
  binPath: RuntimeBinPath,
});
export type RuntimeArtifact = z.infer<typeof RuntimeArtifact>;
