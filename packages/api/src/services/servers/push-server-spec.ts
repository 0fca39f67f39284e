import type { PrismaClient } from "@berth/db";
import type { Logger } from "pino";
import type { AgentCommands } from "../../lib/runtime";
import { clearSpecPending } from "./provision-server";
import { recordServerState } from "./record-server-events";
import { loadServerSpec } from "./server-spec";

/**
 * States in which a new spec is not sent at once: a crashed server may have a restart scheduled
 * that re-provisioning would cancel, and installs and stops are under way.
 */
const LEAVE_ALONE = new Set(["crashed", "installing", "stopping"]);

export type SpecTakesEffect = "now" | "next_start";

/**
 * Offers a server's changed spec to its node without starting anything. A stopped server takes it
 * at once; an agent that cannot change a running server's spec refuses, and the change then stays
 * pending until the next start, which sends it (see power-server).
 */
export async function pushServerSpec({
  prisma,
  agents,
  log,
  serverId,
}: {
  prisma: PrismaClient;
  agents: AgentCommands;
  log: Logger;
  serverId: string;
}): Promise<SpecTakesEffect> {
  const current = await prisma.server.findUnique({
    where: { id: serverId },
    select: { observedState: true },
  });
  if (!current || LEAVE_ALONE.has(current.observedState)) return "next_start";
  const builtAt = new Date();
  const loaded = await loadServerSpec({ prisma, log, serverId });
  if (!loaded.found || !loaded.spec) return "next_start";
  const result = await agents.provision(loaded.nodeId, { spec: loaded.spec, start: false });
  if (!result.ok) {
    log.info({ serverId, reason: result.error.message }, "new spec left for the next start");
    return "next_start";
  }
  await clearSpecPending({ prisma, serverId, builtAt });
  await recordServerState({ prisma, nodeId: loaded.nodeId, event: result.data });
  return "now";
}
