// IDE links and their revocation against real Postgres: who may get a link, for which servers,
// how many, how long it lives, and how sign-out and transfer end the links a server had.
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IDE_TOKEN_TYPE } from "@berth/protocol";
import { createTestDatabase, type TestDatabase } from "../../../test/db";
import { createIdeLinks } from "./lib/ide-links";
import type { ApiRuntime } from "./lib/runtime";
import { createCaller } from "./root";
import { IDE_TOKEN_LIMIT } from "./services/ide/create-ide-token";
import { createUser } from "./services/users/create-user";
import { testRuntime, trpcCodeOf } from "./test-runtime";
import { createTRPCContext, type SessionUser } from "./trpc";

let db: TestDatabase;
let harness: ReturnType<typeof testRuntime>;
let owner: SessionUser;
let stranger: SessionUser;
let admin: SessionUser;
let nodeId: string;

beforeAll(async () => {
  db = await createTestDatabase();
  harness = testRuntime(db.prisma);
  const user = (email: string, role: "admin" | "user") =>
    createUser({ db: db.prisma, email, password: "password1", role });
  owner = await user("owner@ide.test", "user");
  stranger = await user("stranger@ide.test", "user");
  admin = await user("admin@ide.test", "admin");
  nodeId = (await db.prisma.node.create({ data: { name: "n", status: "online" } })).id;
});
afterAll(() => db?.drop());

const devServer = (name: string, data: Record<string, unknown> = {}) =>
  db.prisma.server.create({
    data: {
      name,
      kind: "dev",
      ownerId: owner.id,
      nodeId,
      memoryMb: 256,
      codeServer: true,
      codeServerState: "running",
      ...data,
    },
  });

const callerWith = (user: SessionUser, ide: Partial<Parameters<typeof createIdeLinks>[0]> = {}) => {
  const runtime: ApiRuntime = {
    ...harness.runtime,
    ide: createIdeLinks({
      masterSecret: "test-secret-test-secret-test-secret",
      publicUrl: "http://portal.test",
      tokenTtlS: 300,
      hostSuffix: null,
      ...ide,
    }),
  };
  return createCaller(createTRPCContext({ runtime, sessionUser: user, ip: "10.0.0.1" }));
};

async function messageOf(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return "OK";
  } catch (err) {
    return (err as Error).message;
  }
}

describe("ide.createToken", () => {
  it("gives the owner a one-time link: a signed token with the claims and a row behind it", async () => {
    const server = await devServer("owned");
    const before = Date.now();
    const { url, expiresAt } = await harness.callerFor(owner).ide.createToken({
      serverId: server.id,
    });
    const parsed = new URL(url);
    expect(`${parsed.origin}${parsed.pathname}`).toBe(`http://portal.test/ide/${server.id}/`);
    const token = parsed.searchParams.get("token")!;
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({ sub: owner.id, serverId: server.id, type: IDE_TOKEN_TYPE });
    expect(claims.exp! - claims.iat!).toBe(300);
    expect(expiresAt.getTime()).toBe(claims.exp! * 1000);
    expect(expiresAt.getTime()).toBeGreaterThanOrEqual(before + 299_000);

    const verified = await harness.runtime.ide.verifyToken(token);
    expect(verified).toEqual({
      ok: true,
      claims: { userId: owner.id, serverId: server.id, jti: claims.jti },
    });
    const row = await db.prisma.ideToken.findUniqueOrThrow({ where: { jti: claims.jti! } });
    expect(row).toMatchObject({ userId: owner.id, serverId: server.id, usedAt: null });
    expect(row.expiresAt.getTime()).toBe(expiresAt.getTime());

    // Tampering with the payload breaks the signature.
    const [h, p, s] = token.split(".");
    const forged = JSON.parse(Buffer.from(p!, "base64url").toString());
    forged.sub = stranger.id;
    const tampered = [h, Buffer.from(JSON.stringify(forged)).toString("base64url"), s].join(".");
    expect(await harness.runtime.ide.verifyToken(tampered)).toEqual({
      ok: false,
      problem: "invalid",
    });
  });

  it("lets an admin open anyone's IDE and tells a stranger the server does not exist", async () => {
    const server = await devServer("admin-open");
    const { url } = await harness.callerFor(admin).ide.createToken({ serverId: server.id });
    expect(decodeJwt(new URL(url).searchParams.get("token")!).sub).toBe(admin.id);
    expect(
      await trpcCodeOf(harness.callerFor(stranger).ide.createToken({ serverId: server.id })),
    ).toBe("NOT_FOUND");
    expect(await db.prisma.ideToken.count({ where: { userId: stranger.id } })).toBe(0);
  });

  it("refuses game servers and dev servers whose code-server is not running", async () => {
    const game = await db.prisma.server.create({
      data: { name: "game", kind: "game", ownerId: owner.id, nodeId },
    });
    const call = harness.callerFor(owner).ide.createToken({ serverId: game.id });
    expect(await messageOf(call)).toBe("Open IDE works for dev servers only.");

    const stopped = await devServer("stopped", { codeServerState: "stopped" });
    const disabled = await devServer("disabled", { codeServer: false, codeServerState: null });
    for (const server of [stopped, disabled]) {
      const refused = harness.callerFor(owner).ide.createToken({ serverId: server.id });
      expect(await trpcCodeOf(refused)).toBe("CONFLICT");
      expect(
        await messageOf(harness.callerFor(owner).ide.createToken({ serverId: server.id })),
      ).toMatch(/code-server is not running.*server page/);
    }
  });

  it("limits links per user and says when to try again", async () => {
    const busy = await createUser({
      db: db.prisma,
      email: "busy@ide.test",
      password: "password1",
      role: "user",
    });
    const server = await devServer("busy", { ownerId: busy.id });
    const caller = harness.callerFor(busy);
    // Parallel clicks cannot slip past the limit.
    const burst = await Promise.all(
      Array.from({ length: IDE_TOKEN_LIMIT.count + 5 }, () =>
        trpcCodeOf(caller.ide.createToken({ serverId: server.id })),
      ),
    );
    expect(burst.filter((code) => code === "OK")).toHaveLength(IDE_TOKEN_LIMIT.count);
    expect(burst.filter((code) => code === "TOO_MANY_REQUESTS")).toHaveLength(5);
    const refused = caller.ide.createToken({ serverId: server.id });
    expect(await trpcCodeOf(refused)).toBe("TOO_MANY_REQUESTS");
    expect(await messageOf(caller.ide.createToken({ serverId: server.id }))).toMatch(
      /^Too many IDE links; try again in \d+ s\.$/,
    );
    // Someone else is not held back by it.
    expect(
      await trpcCodeOf(harness.callerFor(admin).ide.createToken({ serverId: server.id })),
    ).toBe("OK");
    // Once the window has passed, links come again.
    await db.prisma.ideToken.updateMany({
      where: { userId: busy.id },
      data: { createdAt: new Date(Date.now() - IDE_TOKEN_LIMIT.windowMs - 1000) },
    });
    expect(await trpcCodeOf(caller.ide.createToken({ serverId: server.id }))).toBe("OK");
  });

  it("takes the link's lifetime and host-based URLs from the configuration", async () => {
    const server = await devServer("configured");
    const { url, expiresAt } = await callerWith(owner, {
      tokenTtlS: 45,
      hostSuffix: "ide.example.com",
    }).ide.createToken({ serverId: server.id });
    const parsed = new URL(url);
    expect(`${parsed.origin}${parsed.pathname}`).toBe(`https://dev-${server.id}.ide.example.com/`);
    const claims = decodeJwt(parsed.searchParams.get("token")!);
    expect(claims.exp! - claims.iat!).toBe(45);
    expect(expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(45_000);

    // A link past its lifetime is refused as expired.
    const later = createIdeLinks({
      masterSecret: "test-secret-test-secret-test-secret",
      publicUrl: "http://portal.test",
      tokenTtlS: 45,
      hostSuffix: null,
      now: () => Date.now() + 46_000,
    });
    expect(await later.verifyToken(parsed.searchParams.get("token")!)).toEqual({
      ok: false,
      problem: "expired",
    });
  });
});

describe("ending IDE access", () => {
  it("signs out every link of the server, for the owner or an admin, and audits it", async () => {
    const server = await devServer("sign-out");
    const other = await devServer("untouched");
    await harness.callerFor(owner).ide.createToken({ serverId: server.id });
    await harness.callerFor(admin).ide.createToken({ serverId: server.id });
    await harness.callerFor(owner).ide.createToken({ serverId: other.id });

    expect(
      await trpcCodeOf(harness.callerFor(stranger).ide.signOutSessions({ serverId: server.id })),
    ).toBe("NOT_FOUND");
    expect(await harness.callerFor(owner).ide.signOutSessions({ serverId: server.id })).toEqual({
      revoked: 2,
    });
    expect(
      await db.prisma.ideToken.count({ where: { serverId: server.id, revokedAt: null } }),
    ).toBe(0);
    expect(await db.prisma.ideToken.count({ where: { serverId: other.id, revokedAt: null } })).toBe(
      1,
    );
    expect(
      await db.prisma.auditLog.findFirst({
        where: { action: "server.ide.sign_out", targetId: server.id },
      }),
    ).toMatchObject({ actorId: owner.id, data: { revoked: 2 } });
  });

  it("transfers a server (admins only), ending the old owner's links", async () => {
    const server = await devServer("transfer");
    await harness.callerFor(owner).ide.createToken({ serverId: server.id });

    expect(
      await trpcCodeOf(
        harness
          .callerFor(owner)
          .servers.transfer({ serverId: server.id, toEmail: "stranger@ide.test" }),
      ),
    ).toBe("FORBIDDEN");
    expect(
      await trpcCodeOf(
        harness
          .callerFor(admin)
          .servers.transfer({ serverId: server.id, toEmail: "nobody@x.test" }),
      ),
    ).toBe("NOT_FOUND");

    expect(
      await harness
        .callerFor(admin)
        .servers.transfer({ serverId: server.id, toEmail: " Stranger@IDE.test " }),
    ).toEqual({ ownerId: stranger.id });
    const moved = await db.prisma.server.findUniqueOrThrow({ where: { id: server.id } });
    expect(moved.ownerId).toBe(stranger.id);
    expect(
      await db.prisma.ideToken.count({ where: { serverId: server.id, revokedAt: null } }),
    ).toBe(0);
    expect(
      await db.prisma.auditLog.findFirst({
        where: { action: "server.transfer", targetId: server.id },
      }),
    ).toMatchObject({
      actorId: admin.id,
      data: { from: owner.id, to: stranger.id, revokedIdeTokens: 1 },
    });
    // The new owner may open it now; the old one may not.
    expect(
      await trpcCodeOf(harness.callerFor(stranger).ide.createToken({ serverId: server.id })),
    ).toBe("OK");
    expect(
      await trpcCodeOf(harness.callerFor(owner).ide.createToken({ serverId: server.id })),
    ).toBe("NOT_FOUND");
  });
});
