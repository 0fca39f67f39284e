import { join, resolve } from "node:path";
import { z } from "zod";

/** The portal's environment, parsed once at start; nothing else reads process.env. */
export const PortalEnv = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    DATABASE_URL: z.url({ message: "DATABASE_URL must be a postgres:// URL" }),
    BERTH_SECRET: z.string().min(32, "BERTH_SECRET must be at least 32 characters"),
    BERTH_PUBLIC_URL: z.url().default("http://localhost:3000"),
    HOST: z.string().default("0.0.0.0"),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    REDIS_URL: z.url().optional(),
    LOG_LEVEL: z
      .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"])
      .default("info"),
    /** A node is shown offline when no portal has heard from it for this long. */
    BERTH_NODE_STALE_MS: z.coerce.number().int().positive().default(15_000),
    /** The platform's data folder (`npm start` keeps Postgres, the secret and the agent there). */
    BERTH_HOME: z.string().min(1).default(".berth"),
    /** Uploaded runtime artifacts, one file per sha256; default BERTH_HOME/artifacts. */
    BERTH_ARTIFACTS_DIR: z.string().min(1).optional(),
    /** The largest artifact an admin may upload (bytes). */
    BERTH_ARTIFACT_MAX_BYTES: z.coerce
      .number()
      .int()
      .positive()
      .default(2 * 1024 ** 3),
    /** How long an "Open IDE" link may wait before it is opened (seconds). */
    BERTH_IDE_TOKEN_TTL_S: z.coerce.number().int().min(10).max(3600).default(300),
    /**
     * Host-based IDE links, `https://dev-<serverId>.<suffix>/`; the operator provides wildcard DNS
     * and TLS for `*.<suffix>` pointing at the portal. Unset: `<BERTH_PUBLIC_URL>/ide/<serverId>/`.
     */
    BERTH_IDE_HOST_SUFFIX: z
      .string()
      .regex(
        /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/,
        "a DNS name, e.g. ide.example.com",
      )
      .optional(),
  })
  .transform(({ BERTH_ARTIFACTS_DIR, ...env }) => ({
    ...env,
    BERTH_ARTIFACTS_DIR: resolve(BERTH_ARTIFACTS_DIR ?? join(env.BERTH_HOME, "artifacts")),
  }));
export type PortalEnv = z.infer<typeof PortalEnv>;

export function parsePortalEnv(source: Record<string, string | undefined>): PortalEnv {
  const parsed = PortalEnv.safeParse(source);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
  throw new Error(`Invalid portal configuration:\n${problems}`);
}
