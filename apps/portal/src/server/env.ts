import { z } from "zod";

/** The portal's environment, parsed once at start; nothing else reads process.env. */
export const PortalEnv = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z.url({ message: "DATABASE_URL must be a postgres:// URL" }),
  BERTH_SECRET: z.string().min(32, "BERTH_SECRET must be at least 32 characters"),
  BERTH_PUBLIC_URL: z.url().default("http://localhost:3000"),
  HOST: z.string().default("0.0.0.0"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  REDIS_URL: z.url().optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** A node is shown offline when no portal has heard from it for this long. */
  BERTH_NODE_STALE_MS: z.coerce.number().int().positive().default(15_000),
});
export type PortalEnv = z.infer<typeof PortalEnv>;

export function parsePortalEnv(source: Record<string, string | undefined>): PortalEnv {
  const parsed = PortalEnv.safeParse(source);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
  throw new Error(`Invalid portal configuration:\n${problems}`);
}
