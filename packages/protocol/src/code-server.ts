import { z } from "zod";
import { RuntimeArtifact } from "./runtimes";

/** Where code-server listens inside a dev container. Browsers never load this port directly. */
export const CODE_SERVER_PORT = 6000;

/** A dev server's code-server: the artifact to install and the port to bind inside. */
export const CodeServerSpec = z.object({
  artifact: RuntimeArtifact,
  port: z.number().int().min(1024).max(65535).default(CODE_SERVER_PORT),
});
export type CodeServerSpec = z.infer<typeof CodeServerSpec>;

export const CodeServerState = z.enum(["stopped", "starting", "running", "failed"]);
export type CodeServerState = z.infer<typeof CodeServerState>;

export const CodeServerStatus = z.object({
  state: CodeServerState,
  /** When it entered `state` (ms since the epoch, the agent's clock). */
  since: z.number().int(),
  /** Why (a failure's reason, or what it is waiting for). */
  message: z.string().max(500).nullable(),
});
export type CodeServerStatus = z.infer<typeof CodeServerStatus>;

export const CodeServerAction = z.enum(["start", "stop", "restart"]);
export type CodeServerAction = z.infer<typeof CodeServerAction>;

const ServerId = z.string().min(1).max(64);

export const CodeServerRequest = z.object({ serverId: ServerId, action: CodeServerAction });
export type CodeServerRequest = z.infer<typeof CodeServerRequest>;

/** Agent → portal → browser: a dev server's code-server changed state. */
export const CodeServerEvent = CodeServerStatus.extend({ serverId: ServerId });
export type CodeServerEvent = z.infer<typeof CodeServerEvent>;
