import type { PrismaClient } from "@berth/db";
import type { IdeLinks, IdeSessionClaims } from "@berth/api/services";

/** A refusal the gate shows as a page. */
export interface IdeRefusal {
  ok: false;
  status: number;
  title: string;
  message: string;
}

export interface IdeGrant {
  ok: true;
  userId: string;
  nodeId: string;
  /** The agent's HTTP listener; null when its node is offline. */
  address: string | null;
}

const refuse = (status: number, title: string, message: string): IdeRefusal => ({
  ok: false,
  status,
  title,
  message,
});

const OPEN_AGAIN = "Open the IDE again from the server page.";

/** How long a session's check is reused: revocation and ownership changes count within this. */
export const IDE_ACCESS_CACHE_MS = 2000;
const CACHE_LIMIT = 10_000;

/**
 * The gate's rules: an IDE link is redeemed once, and every later request of its session is
 * re-checked against the database (token row, server, owner, user, node) at most every 2 s.
 */
export function createIdeAccess({
  prisma,
  ide,
  now = Date.now,
}: {
  prisma: PrismaClient;
  ide: IdeLinks;
  now?: () => number;
}) {
  const cache = new Map<string, { until: number; result: IdeGrant | IdeRefusal }>();

  async function check({
    userId,
    serverId,
    sid,
  }: IdeSessionClaims): Promise<IdeGrant | IdeRefusal> {
    const [token, user, server] = await Promise.all([
      prisma.ideToken.findUnique({
        where: { id: sid },
        select: { userId: true, serverId: true, revokedAt: true },
      }),
      prisma.user.findUnique({ where: { id: userId }, select: { role: true, disabledAt: true } }),
      prisma.server.findUnique({
        where: { id: serverId },
        select: {
          kind: true,
          ownerId: true,
          nodeId: true,
          node: { select: { status: true, address: true } },
        },
      }),
    ]);
    if (!token || token.userId !== userId || token.serverId !== serverId) {
      return refuse(403, "IDE session ended", `This IDE session is no longer valid. ${OPEN_AGAIN}`);
    }
    if (token.revokedAt) {
      return refuse(
        403,
        "IDE session signed out",
        `This IDE session was signed out. ${OPEN_AGAIN}`,
      );
    }
    if (!user || user.disabledAt) {
      return refuse(403, "Account unavailable", "Your account can no longer open this IDE.");
    }
    if (!server || server.kind !== "dev") {
      return refuse(404, "No such dev server", "This dev server does not exist any more.");
    }
    if (server.ownerId !== userId && user.role !== "admin") {
      return refuse(403, "Not your server", "This server belongs to someone else now.");
    }
    const online = server.node.status === "online" && server.node.address;
    return {
      ok: true,
      userId,
      nodeId: server.nodeId,
      address: online ? server.node.address : null,
    };
  }

  return {
    /** The first present session that is valid for `serverId`, or why none is. */
    async authorize(sessions: string[], serverId: string): Promise<IdeGrant | IdeRefusal> {
      let refusal: IdeRefusal = refuse(
        401,
        "Not signed in to this IDE",
        `There is no IDE session for this server in this browser. ${OPEN_AGAIN}`,
      );
      for (const session of sessions) {
        const claims = await ide.verifySession(session);
        if (!claims || claims.serverId !== serverId) continue;
        const key = `${claims.sid}:${claims.userId}:${claims.serverId}`;
        const cached = cache.get(key);
        const at = now();
        let result: IdeGrant | IdeRefusal;
        if (cached && cached.until > at) {
          result = cached.result;
        } else {
          result = await check(claims);
          if (cache.size >= CACHE_LIMIT) {
            for (const [k, v] of cache) if (v.until <= at) cache.delete(k);
            if (cache.size >= CACHE_LIMIT) cache.clear();
          }
          cache.set(key, { until: at + IDE_ACCESS_CACHE_MS, result });
        }
        if (result.ok) return result;
        refusal = result;
      }
      return refusal;
    },

    /**
     * Redeems an IDE link for `serverId`: valid signature, unexpired, the right type and server,
     * never used (the first request to mark it wins) and not revoked. Returns the session claims.
     */
    async redeem(
      token: string,
      serverId: string,
    ): Promise<{ ok: true; claims: IdeSessionClaims } | IdeRefusal> {
      const verified = await ide.verifyToken(token);
      if (!verified.ok) {
        if (verified.problem === "expired") {
          return refuse(401, "IDE link expired", `This IDE link has expired. ${OPEN_AGAIN}`);
        }
        if (verified.problem === "wrong-type") {
          return refuse(401, "Not an IDE link", `This token is not an IDE link. ${OPEN_AGAIN}`);
        }
        return refuse(401, "Invalid IDE link", `This IDE link is not valid. ${OPEN_AGAIN}`);
      }
      const { jti, userId } = verified.claims;
      if (verified.claims.serverId !== serverId) {
        return refuse(403, "Wrong server", `This IDE link is for another server. ${OPEN_AGAIN}`);
      }
      const usedAt = new Date(now());
      const { count } = await prisma.ideToken.updateMany({
        where: { jti, userId, serverId, usedAt: null, revokedAt: null, expiresAt: { gt: usedAt } },
        data: { usedAt },
      });
      if (count === 1) {
        const row = await prisma.ideToken.findUnique({ where: { jti }, select: { id: true } });
        if (row) return { ok: true, claims: { userId, serverId, sid: row.id } };
      }
      const row = await prisma.ideToken.findUnique({
        where: { jti },
        select: { usedAt: true, revokedAt: true, expiresAt: true },
      });
      if (row?.revokedAt) {
        return refuse(403, "IDE link revoked", `This IDE link was signed out. ${OPEN_AGAIN}`);
      }
      if (row?.usedAt) {
        return refuse(
          403,
          "IDE link already used",
          `This IDE link was already used. ${OPEN_AGAIN}`,
        );
      }
      if (row && row.expiresAt.getTime() <= usedAt.getTime()) {
        return refuse(401, "IDE link expired", `This IDE link has expired. ${OPEN_AGAIN}`);
      }
      return refuse(
        403,
        "IDE link no longer valid",
        `This IDE link is no longer valid. ${OPEN_AGAIN}`,
      );
    },
  };
}
export type IdeAccess = ReturnType<typeof createIdeAccess>;
