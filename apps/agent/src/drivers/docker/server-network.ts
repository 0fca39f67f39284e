// The Docker network every server container joins: a bridge with inter-container traffic off, so
// one user's server cannot reach another's ports (code-server listens with `--auth none`, trusting
// that only the agent reaches it). The node itself still reaches every container, which is how
// the agent forwards IDE traffic; published ports work as on any bridge.
import type Docker from "dockerode";
import type { Logger } from "pino";
import { dockerStatus } from "./errors";

export const SERVER_NETWORK = "berth-servers";
export const NETWORK_LABEL = "berth.network";
const ICC_OPTION = "com.docker.network.bridge.enable_icc";

/** Creates the network when missing; a concurrent creator (another agent on the engine) is fine. */
export async function ensureServerNetwork(
  docker: Docker,
  name: string,
  log: Logger,
): Promise<void> {
  const existing = await inspectNetwork(docker, name);
  if (existing) {
    if (existing.Options?.[ICC_OPTION] !== "false") {
      log.warn({ network: name }, "server network lets containers reach each other");
    }
    return;
  }
  try {
    await docker.createNetwork({
      Name: name,
      Driver: "bridge",
      CheckDuplicate: true,
      Options: { [ICC_OPTION]: "false" },
      Labels: { [NETWORK_LABEL]: "servers" },
    });
    log.info({ network: name }, "server network created");
  } catch (error) {
    if (dockerStatus(error) !== 409) throw error;
  }
}

async function inspectNetwork(
  docker: Docker,
  name: string,
): Promise<{ Options?: Record<string, string> } | null> {
  try {
    return (await docker.getNetwork(name).inspect()) as { Options?: Record<string, string> };
  } catch (error) {
    if (dockerStatus(error) === 404) return null;
    throw error;
  }
}
