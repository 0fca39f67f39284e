import type { Logger } from "pino";
import { describeNode, realProbes, type Probes } from "./capabilities";
import type { AgentConfig } from "./config";
import { connectToPortal, type PortalLink } from "./link/portal-link";
import { AGENT_VERSION } from "./version";

export interface RunningAgent {
  link: PortalLink;
  /** Resolves when the portal refuses this agent for good. */
  refused: Promise<{ code: string; message: string }>;
  stop(): Promise<void>;
}

export function startAgent({
  config,
  log,
  probes = realProbes,
}: {
  config: AgentConfig;
  log: Logger;
  probes?: Probes;
}): RunningAgent {
  let onRefused!: (reason: { code: string; message: string }) => void;
  const refused = new Promise<{ code: string; message: string }>(
    (resolve) => (onRefused = resolve),
  );
  const link = connectToPortal({
    portalUrl: config.portalUrl,
    nodeId: config.nodeId,
    credential: config.credential,
    heartbeatMs: config.heartbeatMs,
    reconnect: config.reconnect,
    describe: () => describeNode({ agentVersion: AGENT_VERSION, dataDir: config.dataDir, probes }),
    log: log.child({ link: "portal" }),
    onRefused,
  });
  return {
    link,
    refused,
    async stop() {
      // Servers keep running; the agent only detaches.
      link.close();
    },
  };
}
