import { z } from "zod";
import { CrashRule, DEFAULT_RESTART_POLICY, LivenessCheck, RestartPolicy } from "./crashes";
import { CodeServerSpec, CodeServerStatus } from "./code-server";
import { RuntimeArtifact } from "./runtimes";

export const ServerState = z.enum([
  "offline",
  "installing",
  "starting",
  "running",
  "stopping",
  "crashed",
  "error",
]);
export type ServerState = z.infer<typeof ServerState>;

export const PowerAction = z.enum(["start", "stop", "restart", "kill"]);
export type PowerAction = z.infer<typeof PowerAction>;

export const ProvisionStage = z.enum([
  "queued",
  "creating",
  "installing",
  "starting",
  "ready",
  "failed",
]);
export type ProvisionStage = z.infer<typeof ProvisionStage>;

const ServerId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9]+$/, "server ids are lowercase alphanumeric");

/** What the portal tells an agent to run: resolved from the template, limits and allocated ports. */
export const ServerSpecPayload = z.object({
  serverId: ServerId,
  kind: z.enum(["game", "dev"]),
  image: z.string().min(1).max(256),
  /** The startup command with variables substituted; run through `sh -c`. */
  startup: z.string().min(1).max(4096),
  env: z.record(z.string(), z.string()),
  limits: z.object({
    memoryMb: z.number().int().positive(),
    cpuPercent: z.number().int().positive(),
    pids: z.number().int().positive(),
    /** The server's folder may hold this much (uploads are refused past it); absent: no quota. */
    diskMb: z.number().int().positive().optional(),
  }),
  ports: z.array(
    z.object({
      hostPort: z.number().int().min(1).max(65535),
      containerPort: z.number().int().min(1).max(65535),
      protocol: z.enum(["tcp", "udp"]),
    }),
  ),
  capabilities: z.array(z.string().regex(/^[A-Z_]+$/)).max(16),
  policy: z.object({
    stopCommand: z.string().max(256).nullable(),
    donePattern: z.string().max(512).nullable(),
    stopTimeoutMs: z.number().int().positive(),
    termTimeoutMs: z.number().int().positive(),
    // Defaults keep specs stored by an older agent loadable.
    restart: RestartPolicy.default(DEFAULT_RESTART_POLICY),
    /** The template's own classification rules, tried before the built-in ones. */
    crashRules: z.array(CrashRule).max(200).default([]),
    liveness: LivenessCheck.nullable().default(null),
  }),
  /** Artifacts to install on the node and put on PATH (dev servers); first on PATH first. */
  runtimes: z.array(RuntimeArtifact).max(8).default([]),
  /** Dev servers with code-server: installed like a runtime, kept running beside the shell. */
  codeServer: CodeServerSpec.nullable().default(null),
});
export type ServerSpecPayload = z.infer<typeof ServerSpecPayload>;

export const ServerSnapshot = z.object({
  serverId: z.string(),
  state: ServerState,
  since: z.number().int(),
  exit: z
    .object({
      exitCode: z.number().int().nullable(),
      signal: z.string().nullable(),
      oomKilled: z.boolean(),
    })
    .nullable(),
  /** While `crashed` with an automatic restart scheduled: when it happens (ms since the epoch). */
  restartAt: z.number().int().nullable().default(null),
  /** A dev server's code-server, when it has one. */
  codeServer: CodeServerStatus.nullable().default(null),
});
export type ServerSnapshot = z.infer<typeof ServerSnapshot>;

export const ProvisionRequest = z.object({
  spec: ServerSpecPayload,
  /** Start once provisioned (the desired state in the portal's database). */
  start: z.boolean(),
});

export const PowerRequest = z.object({ serverId: ServerId, action: PowerAction });
export const ServerRef = z.object({ serverId: ServerId });

/** Agent → portal, unsolicited. */
export const ServerStateEvent = ServerSnapshot.extend({ reason: z.string().max(200).nullable() });
export type ServerStateEvent = z.infer<typeof ServerStateEvent>;

export const ServerProgressEvent = z.object({
  serverId: z.string(),
  stage: ProvisionStage,
  percent: z.number().int().min(0).max(100),
  message: z.string().max(500).nullable(),
});
export type ServerProgressEvent = z.infer<typeof ServerProgressEvent>;

/** Sent on every connect: everything the agent holds, so the portal can reconcile. */
export const Inventory = z.object({
  servers: z.array(ServerSnapshot),
  /** Containers/processes labelled as Berth servers that this agent was never told about. */
  unknown: z.array(z.string()).max(1000),
});
export type Inventory = z.infer<typeof Inventory>;
