import { randomUUID } from "node:crypto";
import type { PrismaClient } from "@berth/db";
import { AppError } from "../../lib/app-error";
import { IDE_SESSION_TTL_S, type IdeLinks } from "../../lib/ide-links";
import type { Actor } from "../actor";
import { loadServerFor } from "../servers/server-access";

/** IDE links one user may create per window, counted from IdeToken rows so every portal agrees. */
export const IDE_TOKEN_LIMIT = { count: 20, windowMs: 60_000 };

/** Owner or admin: a one-time link that opens the dev server's code-server in a browser. */
export async function createIdeToken({
  prisma,
  ide,
  actor,
  serverId,
  now = new Date(),
}: {
  prisma: PrismaClient;
  ide: IdeLinks;
  actor: Actor & { kind: "user" };
  serverId: string;
  now?: Date;
}): Promise<{ url: string; expiresAt: Date }> {
  const server = await loadServerFor({ prisma, actor, serverId });
  if (server.kind !== "dev")
    throw new AppError("BAD_REQUEST", "Open IDE works for dev servers only.");
  if (!server.codeServer || server.codeServerState !== "running") {
    throw new AppError(
      "CONFLICT",
      "code-server is not running. Start it on the server page, then open the IDE.",
    );
  }

  const jti = randomUUID();
  const { token, expiresAt } = await ide.signToken({ userId: actor.id, serverId: server.id, jti });
  const windowStart = new Date(now.getTime() - IDE_TOKEN_LIMIT.windowMs);
  await prisma.$transaction(async (tx) => {
    // One count-and-insert per user at a time, so parallel clicks cannot slip past the limit.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`ide-token:${actor.id}`}))`;
    const recent = await tx.ideToken.findMany({
      where: { userId: actor.id, createdAt: { gt: windowStart } },
      orderBy: { createdAt: "desc" },
      take: IDE_TOKEN_LIMIT.count,
      select: { createdAt: true },
    });
    if (recent.length >= IDE_TOKEN_LIMIT.count) {
      const oldest = recent[recent.length - 1]!.createdAt.getTime();
      const waitS = Math.max(
        1,
        Math.ceil((oldest + IDE_TOKEN_LIMIT.windowMs - now.getTime()) / 1000),
      );
      throw new AppError("TOO_MANY_REQUESTS", `Too many IDE links; try again in ${waitS} s.`);
    }
    await tx.ideToken.create({
      data: { jti, userId: actor.id, serverId: server.id, expiresAt, createdAt: now },
    });
  });
  // A row can go once no session it opened can still be alive.
  await prisma.ideToken.deleteMany({
    where: {
      userId: actor.id,
      expiresAt: { lt: new Date(now.getTime() - IDE_SESSION_TTL_S * 1000) },
    },
  });
  return { url: ide.urlFor(server.id, token), expiresAt };
}
