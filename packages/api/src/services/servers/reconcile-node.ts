import type { PrismaClient } from "@berth/db";
import type { Inventory } from "@berth/protocol";
import type { Logger } from "pino";
import type { AgentCommands, ServerEvents } from "../../lib/runtime";
import { recordAudit } from "../audit";
import { provisionServer } from "./provision-server";
import { recordCodeServerStatus, recordServerState } from "./record-server-events";

/** Provisioning that has not finished after this long is dispatched again. */
export const STUCK_PROVISIONING_MS = 2 * 60_000;

/**
 * Brings a node in line with the database after its agent reported what it holds: servers the
 * agent lacks are provisioned again, observed states are taken over, and servers the agent has but
 * the database does not are reported (audit log), never deleted.
 */
export async function reconcileNode({
  prisma,
  agents,
  serverEvents,
  log,
  nodeId,
  inventory,
}: {
  prisma: PrismaClient;
  agents: AgentCommands;
  serverEvents: ServerEvents;
  log: Logger;
  nodeId: string;
  inventory: Inventory;
}): Promise<{ reprovisioned: string[]; unknown: string[] }> {
  const held = new Map(inventory.servers.map((s) => [s.serverId, s]));
  const expected = await prisma.server.findMany({ where: { nodeId }, select: { id: true } });
  const expectedIds = new Set(expected.map((s) => s.id));

  const reprovisioned: string[] = [];
  for (const { id } of expected) {
    const snapshot = held.get(id);
    if (snapshot) {
      if ((await recordServerState({ prisma, nodeId, event: snapshot })) === "applied") {
        serverEvents.state({ ...snapshot, reason: "reported by the agent" });
      }
      if (snapshot.codeServer) {
        const event = { serverId: id, ...snapshot.codeServer };
        if (await recordCodeServerStatus({ prisma, nodeId, event })) serverEvents.codeServer(event);
      }
    } else {
      reprovisioned.push(id);
      await provisionServer({ prisma, agents, serverEvents, log, serverId: id });
    }
  }

  const unknown = [
    ...inventory.unknown,
    ...inventory.servers.map((s) => s.serverId).filter((id) => !expectedIds.has(id)),
  ];
  if (unknown.length > 0) {
    log.warn({ nodeId, unknown }, "node holds servers the portal does not know");
    await prisma.$transaction((tx) =>
      recordAudit(tx, {
        actorId: null,
        action: "node.unknown_servers",
        targetType: "node",
        targetId: nodeId,
        data: { unknown },
      }),
    );
  }
  return { reprovisioned, unknown };
}

/** Servers whose provisioning never finished (agent restarted mid-way, command lost). */
export async function redispatchStuckProvisioning({
  prisma,
  agents,
  serverEvents,
  log,
  now = new Date(),
}: {
  prisma: PrismaClient;
  agents: AgentCommands;
  serverEvents: ServerEvents;
  log: Logger;
  now?: Date;
}): Promise<string[]> {
  const stuck = await prisma.server.findMany({
    where: {
      provisionStage: { notIn: ["ready", "failed"] },
      updatedAt: { lt: new Date(now.getTime() - STUCK_PROVISIONING_MS) },
      node: { status: "online" },
    },
    select: { id: true },
  });
  for (const { id } of stuck) {
    await prisma.server.update({ where: { id }, data: { updatedAt: now } });
    await provisionServer({ prisma, agents, serverEvents, log, serverId: id });
  }
  return stuck.map((s) => s.id);
}
