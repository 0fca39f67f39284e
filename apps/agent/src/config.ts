import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { parseListenAddress } from "./http/listen-address";

/** What `berth-agent enroll` writes; the credential never leaves this file (mode 0600). */
export const EnrolledConfigFile = z.object({
  portalUrl: z.url(),
  nodeId: z.string().min(1),
  nodeName: z.string().min(1),
  credential: z.string().min(32),
});
export type EnrolledConfigFile = z.infer<typeof EnrolledConfigFile>;

/** Which driver runs servers: "auto" picks Docker when the engine answers at start, else process. */
export const DriverSetting = z.enum(["auto", "docker", "process"]);
export type DriverSetting = z.infer<typeof DriverSetting>;

const LABEL_KEY = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,127}$/;

/** "a=1,b=2" (the environment's form) → { a: "1", b: "2" }; anything else is left for zod. */
function parseLabels(value: unknown): unknown {
  if (typeof value !== "string") return value;
  const labels: Record<string, string> = {};
  for (const pair of value.split(",")) {
    if (pair.trim() === "") continue;
    const at = pair.indexOf("=");
    if (at <= 0) return value;
    labels[pair.slice(0, at).trim()] = pair.slice(at + 1).trim();
  }
  return labels;
}

/** "host:port" ("[::1]:8080" for IPv6) → { host, port }. */
const ListenAddress = z.string().transform((value, ctx) => {
  const address = parseListenAddress(value);
  if (!address) {
    ctx.addIssue({ code: "custom", message: 'expected "host:port", e.g. 127.0.0.1:7000' });
    return z.NEVER;
  }
  return address;
});

export const AgentConfig = z.object({
  portalUrl: z.url(),
  nodeId: z.string().min(1),
  nodeName: z.string().default("node"),
  credential: z.string().min(32),
  dataDir: z.string().min(1),
  /** Where slow-to-make things are kept between builds (the dev image's Debian rootfs). */
  cacheDir: z.string().min(1).optional(),
  driver: DriverSetting.default("auto"),
  /** Extra labels on every server's container (tests mark theirs with berth.test=1). */
  containerLabels: z
    .preprocess(
      parseLabels,
      z.record(
        z.string().regex(LABEL_KEY, "label keys are letters, digits and . _ / -"),
        z.string().max(256),
        { error: 'labels are "key=value" pairs separated by commas' },
      ),
    )
    .default({}),
  logLevel: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  heartbeatMs: z.coerce.number().int().min(200).default(5000),
  /** Where the HTTP listener (the portal's way to code-server) binds; port 0 picks a free one. */
  httpListen: ListenAddress.prefault("127.0.0.1:0"),
  /** The listener's URL as the portal reaches it; default http://<listen host>:<bound port>. */
  httpUrl: z.url().max(512).optional(),
  reconnect: z
    .object({
      minDelayMs: z.coerce.number().int().positive().default(100),
      maxDelayMs: z.coerce.number().int().positive().default(10_000),
    })
    .prefault({}),
});
export type AgentConfig = z.infer<typeof AgentConfig>;

/** Environment variables as read from process.env (or given by a test). */
export type EnvSource = Record<string, string | undefined>;

export const DEFAULT_DATA_DIR = "/var/lib/berth-agent";

/** Where the config file lives: --config, else BERTH_AGENT_CONFIG, else <data dir>/agent.json. */
export function configPath(env: EnvSource, explicit?: string): string {
  return (
    explicit ??
    env.BERTH_AGENT_CONFIG ??
    join(env.BERTH_AGENT_DATA_DIR ?? DEFAULT_DATA_DIR, "agent.json")
  );
}

function fromEnv(env: EnvSource): Record<string, unknown> {
  const picked: Record<string, unknown> = {
    portalUrl: env.BERTH_PORTAL_URL,
    dataDir: env.BERTH_AGENT_DATA_DIR,
    logLevel: env.BERTH_AGENT_LOG_LEVEL,
    heartbeatMs: env.BERTH_AGENT_HEARTBEAT_MS,
    cacheDir: env.BERTH_CACHE_DIR,
    driver: env.BERTH_AGENT_DRIVER,
    containerLabels: env.BERTH_AGENT_CONTAINER_LABELS,
    httpListen: env.BERTH_AGENT_HTTP_LISTEN,
    httpUrl: env.BERTH_AGENT_HTTP_URL,
  };
  return Object.fromEntries(Object.entries(picked).filter(([, v]) => v !== undefined));
}

export class ConfigError extends Error {}

/** Defaults, then the file, then the environment (later wins); every problem is reported at once. */
export function loadAgentConfig({ env, path }: { env: EnvSource; path: string }): AgentConfig {
  if (!existsSync(path)) {
    throw new ConfigError(
      `No agent config at ${path}. Run "berth-agent enroll --portal URL --token TOKEN" first.`,
    );
  }
  let file: unknown;
  try {
    file = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    throw new ConfigError(`Cannot read ${path}: ${(err as Error).message}`);
  }
  const defaults = { dataDir: env.BERTH_AGENT_DATA_DIR ?? DEFAULT_DATA_DIR };
  const merged = { ...defaults, ...(file as object), ...fromEnv(env) };
  const parsed = AgentConfig.safeParse(merged);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (i) => `  ${i.path.join(".") || "(root)"}: ${i.message}`,
    );
    throw new ConfigError(`Invalid agent config (${path}):\n${problems.join("\n")}`);
  }
  return parsed.data;
}
