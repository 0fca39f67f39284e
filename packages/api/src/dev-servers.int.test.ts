// Dev servers' code-server and runtime procedures against real Postgres, with a node that answers:
// who may act, what is refused and why, what is recorded, and what the spec sent to the node holds.
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CODE_SERVER_PORT, type ServerSpecPayload } from "@berth/protocol";
import { createTestDatabase, type TestDatabase } from "../../../test/db";
import type { AgentCommands, ApiRuntime } from "./lib/runtime";
import { createCaller } from "./root";
import { recordCodeServerStatus } from "./services/servers/record-server-events";
import { loadServerSpec } from "./services/servers/server-spec";
import { ensureBuiltinTemplates } from "./services/templates/builtin-templates";
import { createUser } from "./services/users/create-user";
import { testRuntime, trpcCodeOf } from "./test-runtime";
import { createTRPCContext, type SessionUser } from "./trpc";

let db: TestDatabase;
let harness: ReturnType<typeof testRuntime>;
let owner: SessionUser;
let stranger: SessionUser;
let admin: SessionUser;
let nodeId: string;
const quiet = pino({ level: "silent" });

const provisions: ServerSpecPayload[] = [];
const codeServerCalls: Array<{ serverId: string; action: string }> = [];
const agents: AgentCommands = {
  provision: async (_nodeId, { spec }) => {
    provisions.push(spec);
    return {
      ok: true,
      data: {
        serverId: spec.serverId,
        state: "offline",
        since: Date.now(),
        exit: null,
        restartAt: null,
        codeServer: null,
      },
    };
  },
  power: async () => ({ ok: false, error: { code: "NODE_OFFLINE", message: "offline" } }),
  remove: async () => ({ ok: true, data: { deleted: true } }),
  codeServer: async (_nodeId, request) => {
    codeServerCalls.push(request);
    if (request.action === "start") {
      return { ok: false, error: { code: "CONFLICT", message: "Start the server first" } };
    }
    return {
      ok: true,
      data: {
        state: request.action === "stop" ? ("stopped" as const) : ("running" as const),
        since: Date.now(),
        message: null,
      },
    };
  },
  files: async () => ({ ok: false, error: { code: "NODE_OFFLINE", message: "offline" } }),
  listMods: async () => ({ ok: false, error: { code: "NODE_OFFLINE", message: "offline" } }),
  modAction: async () => ({ ok: false, error: { code: "NODE_OFFLINE", message: "offline" } }),
};
const callerFor = (user: SessionUser) => {
  const runtime: ApiRuntime = { ...harness.runtime, agents };
  return createCaller(createTRPCContext({ runtime, sessionUser: user, ip: "10.0.0.1" }));
};

beforeAll(async () => {
  db = await createTestDatabase();
  harness = testRuntime(db.prisma);
  const user = (email: string, role: "admin" | "user") =>
    createUser({ db: db.prisma, email, password: "password1", role });
  owner = await user("owner@dev.test", "user");
  stranger = await user("stranger@dev.test", "user");
  admin = await user("admin@dev.test", "admin");
  nodeId = (await db.prisma.node.create({ data: { name: "n", status: "online" } })).id;
  await ensureBuiltinTemplates({ prisma: db.prisma });
});
afterAll(() => db?.drop());

const devServer = (name: string, data: Record<string, unknown> = {}) =>
  db.prisma.server.create({
    data: { name, kind: "dev", ownerId: owner.id, nodeId, memoryMb: 256, ...data },
  });

async function catalogVersion(
  name: string,
  kind: "runtime" | "addon",
  version: string,
  extra: { isDefault?: boolean; enabled?: boolean } = {},
) {
  const runtime = await db.prisma.runtime.upsert({
    where: { name },
    create: { name, displayName: name, kind },
    update: {},
  });
  return db.prisma.runtimeVersion.create({
    data: {
      runtimeId: runtime.id,
      version,
      artifactUrl: `https://artifacts.example/${name}-${version}.tar.gz`,
      sha256: "c".repeat(64),
      sizeBytes: 1234n,
      binPath: "bin",
      ...extra,
    },
  });
}

describe("code-server", () => {
  it("puts the catalog's default code-server version in the spec, and refuses to build one without it", async () => {
    const server = await devServer("ide", { codeServer: true });
    const missing = await loadServerSpec({ prisma: db.prisma, log: quiet, serverId: server.id });
    expect(missing).toMatchObject({
      found: true,
      spec: null,
      problem: expect.stringContaining("the runtime catalog has no enabled version of it"),
    });

    await catalogVersion("code-server", "addon", "4.139.0");
    await catalogVersion("code-server", "addon", "4.139.1", { isDefault: true });
    await catalogVersion("code-server", "addon", "4.140.0", { enabled: false });
    const loaded = await loadServerSpec({ prisma: db.prisma, log: quiet, serverId: server.id });
    expect(loaded).toMatchObject({
      found: true,
      spec: {
        codeServer: {
          artifact: { name: "code-server", version: "4.139.1", binPath: "bin" },
          port: CODE_SERVER_PORT,
        },
      },
    });
    const plain = await devServer("plain");
    const without = await loadServerSpec({ prisma: db.prisma, log: quiet, serverId: plain.id });
    expect(without).toMatchObject({ found: true, spec: { codeServer: null } });
  });

  it("lets the owner and admins act on it, records what the node answers, and refuses the rest clearly", async () => {
    const server = await devServer("lifecycle", { codeServer: true });
    const stopped = await callerFor(owner).servers.codeServer({
      serverId: server.id,
      action: "stop",
    });
    expect(stopped.state).toBe("stopped");
    const detail = await callerFor(owner).servers.get({ serverId: server.id });
    expect(detail.codeServer).toMatchObject({ state: "stopped", since: stopped.since });
    expect(
      await callerFor(admin).servers.codeServer({ serverId: server.id, action: "restart" }),
    ).toMatchObject({
      state: "running",
    });
    await expect(
      callerFor(owner).servers.codeServer({ serverId: server.id, action: "start" }),
    ).rejects.toThrow("Start the server first");
    expect(
      await trpcCodeOf(
        callerFor(stranger).servers.codeServer({ serverId: server.id, action: "stop" }),
      ),
    ).toBe("NOT_FOUND");
    expect(codeServerCalls.filter((c) => c.serverId === server.id).map((c) => c.action)).toEqual([
      "stop",
      "restart",
      "start",
    ]);
    const audit = await db.prisma.auditLog.findMany({
      where: { targetId: server.id },
      orderBy: { createdAt: "asc" },
    });
    expect(audit.map((a) => a.action)).toEqual([
      "server.code_server.stop",
      "server.code_server.restart",
      "server.code_server.start",
    ]);

    const plain = await devServer("no-ide");
    await expect(
      callerFor(owner).servers.codeServer({ serverId: plain.id, action: "start" }),
    ).rejects.toThrow("code-server is not enabled for this server.");
    const template = await db.prisma.template.findFirstOrThrow();
    const game = await db.prisma.server.create({
      data: { name: "game", kind: "game", ownerId: owner.id, nodeId, templateId: template.id },
    });
    await expect(
      callerFor(owner).servers.codeServer({ serverId: game.id, action: "start" }),
    ).rejects.toThrow("Only dev servers have code-server.");
    await expect(
      callerFor(owner).servers.codeServer({ serverId: server.id, action: "pause" as "start" }),
    ).rejects.toThrow('action: must be "start", "stop" or "restart"');
  });

  it("keeps the newest report when reports arrive out of order", async () => {
    const server = await devServer("order", { codeServer: true });
    const event = (state: "starting" | "running", since: number) => ({
      serverId: server.id,
      state,
      since,
      message: null,
    });
    expect(
      await recordCodeServerStatus({ prisma: db.prisma, nodeId, event: event("running", 2000) }),
    ).toBe(true);
    expect(
      await recordCodeServerStatus({ prisma: db.prisma, nodeId, event: event("starting", 1000) }),
    ).toBe(false);
    const other = await db.prisma.node.create({ data: { name: "other" } });
    expect(
      await recordCodeServerStatus({
        prisma: db.prisma,
        nodeId: other.id,
        event: event("starting", 3000),
      }),
    ).toBe(false);
    const row = await db.prisma.server.findUniqueOrThrow({ where: { id: server.id } });
    expect(row).toMatchObject({ codeServerState: "running", codeServerSince: 2000n });
  });
});

describe("switching a dev server's runtime", () => {
  it("stores the new version, sends the stopped server's node the new spec, and audits it", async () => {
    const v1 = await catalogVersion("python", "runtime", "3.11.0");
    const v2 = await catalogVersion("python", "runtime", "3.12.0");
    const server = await devServer("switch", { runtimeVersionId: v1.id });
    provisions.length = 0;
    const result = await callerFor(owner).servers.updateRuntime({
      serverId: server.id,
      runtimeVersionId: v2.id,
    });
    expect(result).toEqual({ takesEffect: "now" });
    expect(provisions.at(-1)?.runtimes).toMatchObject([{ name: "python", version: "3.12.0" }]);
    const row = await db.prisma.server.findUniqueOrThrow({ where: { id: server.id } });
    expect(row).toMatchObject({ runtimeVersionId: v2.id, specPendingSince: null });

    expect(
      await callerFor(owner).servers.updateRuntime({ serverId: server.id, runtimeVersionId: null }),
    ).toEqual({ takesEffect: "now" });
    expect(provisions.at(-1)?.runtimes).toEqual([]);
    const audit = await db.prisma.auditLog.findMany({
      where: { targetId: server.id, action: "server.runtime" },
    });
    expect(audit).toHaveLength(2);
  });

  it("refuses addons, disabled versions, game servers and strangers", async () => {
    const server = await devServer("refusals");
    const addon = await db.prisma.runtimeVersion.findFirstOrThrow({
      where: { runtime: { name: "code-server" } },
    });
    const disabled = await catalogVersion("go", "runtime", "1.22.0", { enabled: false });
    for (const runtimeVersionId of [addon.id, disabled.id, "nope"]) {
      await expect(
        callerFor(owner).servers.updateRuntime({ serverId: server.id, runtimeVersionId }),
      ).rejects.toThrow("runtimeVersionId: not an enabled runtime version.");
    }
    expect(
      await trpcCodeOf(
        callerFor(stranger).servers.updateRuntime({ serverId: server.id, runtimeVersionId: null }),
      ),
    ).toBe("NOT_FOUND");
  });
});
