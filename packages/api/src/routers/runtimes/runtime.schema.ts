import { z } from "zod";

const Id = z.string().min(1).max(64);

export const RuntimeName = z
  .string()
  .trim()
  .min(1, "Enter a name.")
  .max(32, "At most 32 characters.")
  .regex(/^[a-z][a-z0-9-]*$/, "Use lowercase letters, digits and dashes, starting with a letter.");

export const RuntimeDisplayName = z
  .string()
  .trim()
  .min(1, "Enter a display name.")
  .max(64, "At most 64 characters.");

export const RuntimeKind = z.enum(["runtime", "addon"], {
  error: 'The kind must be "runtime" or "addon".',
});

/** Part of the agent's store path (`<store>/<name>/<version>`), so only path-safe characters. */
export const VersionString = z
  .string()
  .trim()
  .min(1, "Enter a version.")
  .max(64, "At most 64 characters.")
  .regex(
    /^[0-9A-Za-z][0-9A-Za-z.+_-]*$/,
    "Use letters, digits, dots, dashes, plus signs and underscores, starting with a letter or digit.",
  );

/**
 * Where nodes download the .tar.gz. Plain http is allowed (a portal at http://localhost serving its
 * stored artifacts): nodes install nothing whose sha256 differs from the catalog's.
 */
export const ArtifactUrl = z
  .string()
  .trim()
  .min(1, "Enter the artifact's URL.")
  .max(2048, "At most 2,048 characters.")
  .refine((raw) => {
    try {
      const url = new URL(raw);
      return (
        (url.protocol === "https:" || url.protocol === "http:") &&
        url.hostname.length > 0 &&
        !url.username
      );
    } catch {
      return false;
    }
  }, "Enter an http or https URL (https://…), without a user name or password.");

export const Sha256 = z
  .string()
  .trim()
  .transform((s) => s.toLowerCase())
  .pipe(z.string().regex(/^[0-9a-f]{64}$/, "The sha256 must be 64 hex characters."));

export const SizeBytes = z
  .number({ error: "Enter the size in bytes." })
  .int("The size must be a whole number of bytes.")
  .positive("The size must be a positive number of bytes.")
  .max(Number.MAX_SAFE_INTEGER, "That size is too large.");

/** The folder inside the extracted artifact that goes on PATH: relative, never leaving it. */
export const BinPath = z
  .string()
  .trim()
  .min(1, "Enter the folder to put on PATH (for example bin).")
  .max(256, "At most 256 characters.")
  .transform((p) => p.replace(/\/+$/, "") || ".")
  .refine(
    (p) =>
      !p.startsWith("/") &&
      !p.includes("\\") &&
      // eslint-disable-next-line no-control-regex
      !/[\u0000-\u001f]/.test(p) &&
      p.split("/").every((segment) => segment !== ".." && segment !== ""),
    "Use a relative path inside the archive, without “..”.",
  );

export const RuntimeIdInput = z.object({ runtimeId: Id });
export const RuntimeVersionIdInput = z.object({ versionId: Id });

export const CreateRuntimeInput = z.object({
  name: RuntimeName,
  displayName: RuntimeDisplayName,
  kind: RuntimeKind.default("runtime"),
  enabled: z.boolean().default(true),
});
export type CreateRuntimeInput = z.infer<typeof CreateRuntimeInput>;

/** The name is fixed once created: nodes keep installed artifacts under it. */
export const UpdateRuntimeInput = RuntimeIdInput.extend({
  displayName: RuntimeDisplayName.optional(),
  kind: RuntimeKind.optional(),
  enabled: z.boolean().optional(),
}).refine(
  (i) => i.displayName !== undefined || i.kind !== undefined || i.enabled !== undefined,
  "Nothing to change.",
);
export type UpdateRuntimeInput = z.infer<typeof UpdateRuntimeInput>;

export const AddRuntimeVersionInput = RuntimeIdInput.extend({
  version: VersionString,
  artifactUrl: ArtifactUrl,
  sha256: Sha256,
  sizeBytes: SizeBytes,
  binPath: BinPath.default("bin"),
  enabled: z.boolean().default(true),
  deprecated: z.boolean().default(false),
  /** The runtime's first version becomes its default either way. */
  makeDefault: z.boolean().default(false),
});
export type AddRuntimeVersionInput = z.infer<typeof AddRuntimeVersionInput>;

/** The version string is fixed once created; everything else can change. */
export const UpdateRuntimeVersionInput = RuntimeVersionIdInput.extend({
  artifactUrl: ArtifactUrl.optional(),
  sha256: Sha256.optional(),
  sizeBytes: SizeBytes.optional(),
  binPath: BinPath.optional(),
  enabled: z.boolean().optional(),
  deprecated: z.boolean().optional(),
}).refine(
  (i) =>
    [i.artifactUrl, i.sha256, i.sizeBytes, i.binPath, i.enabled, i.deprecated].some(
      (v) => v !== undefined,
    ),
  "Nothing to change.",
);
export type UpdateRuntimeVersionInput = z.infer<typeof UpdateRuntimeVersionInput>;
