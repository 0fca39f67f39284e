import { Prisma, type PrismaClient } from "@berth/db";
import type { ServerCrashEvent } from "@berth/protocol";
import { LOG_TAIL_SEPARATOR, toCrashView, type CrashView } from "./crash-view";

export interface CrashedServer {
  id: string;
  name: string;
  ownerId: string;
}

export type RecordCrashOutcome =
  | { outcome: "recorded"; crash: CrashView; server: CrashedServer }
  /** The same crashId was recorded before (the agent resent it after a lost ack). */
  | { outcome: "duplicate"; crash: CrashView }
  | { outcome: "not_on_node" };

const isUniqueViolation = (err: unknown) =>
  err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002";

/**
 * Records a crash an agent reported, once per crashId, together with the restart it scheduled. Only
 * the node a server is placed on may report its crashes.
 */
export async function recordCrash({
  prisma,
  nodeId,
  event,
}: {
  prisma: PrismaClient;
  nodeId: string;
  event: ServerCrashEvent;
}): Promise<RecordCrashOutcome> {
  const server = await prisma.server.findFirst({
    where: { id: event.serverId, nodeId },
    select: { id: true, name: true, ownerId: true },
  });
  if (!server) return { outcome: "not_on_node" };
  const earlier = await prisma.crashEvent.findUnique({ where: { crashId: event.crashId } });
  if (earlier) return { outcome: "duplicate", crash: toCrashView(earlier) };

  try {
    const row = await prisma.$transaction(async (tx) => {
      const created = await tx.crashEvent.create({
        data: {
          serverId: server.id,
          crashId: event.crashId,
          occurredAt: new Date(event.at),
          exitCode: event.exitCode,
          signal: event.signal,
          oomKilled: event.oomKilled,
          uptimeMs: BigInt(event.uptimeMs),
          logTail: event.logTail.join(LOG_TAIL_SEPARATOR),
          class: event.class,
          matchedRule: event.matchedRule,
          subject: event.subject,
          suggestion: event.suggestion,
          crashLoop: event.crashLoop,
        },
      });
      // A restart stored after this crash happened belongs to a later crash: a late resend of
      // this one must not replace it.
      await tx.server.updateMany({
        where: {
          id: server.id,
          OR: [{ restartAt: null }, { restartAt: { lte: new Date(event.at) } }],
        },
        data: { restartAt: event.restartAt === null ? null : new Date(event.restartAt) },
      });
      return created;
    });
    return { outcome: "recorded", crash: toCrashView(row), server };
  } catch (err) {
    // Two copies of one report raced; the other one recorded it.
    if (!isUniqueViolation(err)) throw err;
    const winner = await prisma.crashEvent.findUniqueOrThrow({
      where: { crashId: event.crashId },
    });
    return { outcome: "duplicate", crash: toCrashView(winner) };
  }
}
