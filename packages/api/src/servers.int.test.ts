import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../test/db";
import { createUser } from "./services/users/create-user";
import {
  redispatchStuckProvisioning,
  STUCK_PROVISIONING_MS,
} from "./services/servers/reconcile-node";
import { ensureBuiltinTemplates } from "./services/templates/builtin-templates";
import { testRuntime, trpcCodeOf } from "./test-runtime";
import type { SessionUser } from "./trpc";

let db: TestDatabase;
let harness: ReturnType<typeof testRuntime>;
let alice: SessionUser;
let bob: SessionUser;
let admin: SessionUser;
let genericId: string;

async function onlineNode(name: string, memoryMb: number, ports: [number, number]) {
  return db.prisma.node.create({
    data: {
      name,
      status: "online",
      enrolledAt: new Date(),
      memoryMb,
      portRangeStart: ports[0],
      portRangeEnd: ports[1],
    },
  });
}

beforeAll(async () => {
  db = await createTestDatabase();
  harness = testRuntime(db.prisma);
  alice = await createUser({
    db: db.prisma,
    email: "alice@test",
    password: "password1",
    role: "user",
  });
  bob = await createUser({ db: db.prisma, email: "bob@test", password: "password1", role: "user" });
  admin = await createUser({
    db: db.prisma,
    email: "root@test",
    password: "password1",
    role: "admin",
  });
  await ensureBuiltinTemplates({ prisma: db.prisma });
  await ensureBuiltinTemplates({ prisma: db.prisma }); // idempotent
  genericId = (await db.prisma.template.findUniqueOrThrow({ where: { slug: "generic-console" } }))
    .id;
});
afterAll(() => db?.drop());

const game = (memoryMb: number, extra: Record<string, unknown> = {}) => ({
  kind: "game" as const,
  name: "srv",
  templateId: genericId,
  memoryMb,
  ...extra,
});

describe("servers", () => {
  it("seeds the built-in templates, the Minecraft one with its real image and Java command", async () => {
    const paper = await db.prisma.template.findUniqueOrThrow({
      where: { slug: "minecraft-paper" },
    });
    expect(paper.image).toBe("eclipse-temurin:21-jre");
    expect(paper.startup).toContain("-jar paper.jar");
    expect(paper.stopCommand).toBe("stop");
    expect(await db.prisma.template.count()).toBe(2);
  });

  it("says clearly when no node can take a server", async () => {
    await expect(harness.callerFor(alice).servers.create(game(512))).rejects.toThrow(
      "No node is online to place this server on.",
    );
  });

  it("places on the online node with the most free memory and allocates ports from its range", async () => {
    const small = await onlineNode("small", 2048, [30000, 30001]);
    const big = await onlineNode("big", 8192, [31000, 31001]);
    await db.prisma.node.create({
      data: { name: "dark", status: "offline", enrolledAt: new Date(), memoryMb: 65536 },
    });

    const first = await harness.callerFor(alice).servers.create(game(4096));
    expect(first.nodeId).toBe(big.id);
    const detail = await harness.callerFor(alice).servers.get({ serverId: first.id });
    expect(detail.ports).toEqual([
      { name: "main", containerPort: 8080, protocol: "tcp", hostPort: 31000 },
    ]);
    expect(detail.provisionStage).toBe("queued");

    const second = await harness.callerFor(alice).servers.create(game(2048));
    expect(second.nodeId).toBe(big.id);
    expect(
      (await harness.callerFor(alice).servers.get({ serverId: second.id })).ports[0]!.hostPort,
    ).toBe(31001);

    // big has 2048 MB left but no ports; small has the memory and ports.
    const third = await harness.callerFor(alice).servers.create(game(2048));
    expect(third.nodeId).toBe(small.id);

    await expect(harness.callerFor(alice).servers.create(game(4096))).rejects.toThrow(
      "No online node has 4096 MB of memory free.",
    );
  });

  it("makes a retried create with the same request id return the first server", async () => {
    const requestId = randomUUID();
    await onlineNode("spare", 4096, [32000, 32010]);
    const a = await harness.callerFor(alice).servers.create(game(256, { requestId }));
    const b = await harness.callerFor(alice).servers.create(game(256, { requestId }));
    expect(b).toEqual({ ...a, created: false });
    expect(await db.prisma.server.count({ where: { requestId } })).toBe(1);
    expect(await trpcCodeOf(harness.callerFor(bob).servers.create(game(256, { requestId })))).toBe(
      "CONFLICT",
    );
  });

  it("keeps other users out: get, power and delete of someone else's server are NOT_FOUND", async () => {
    const mine = await harness.callerFor(alice).servers.create(game(128));
    expect(await trpcCodeOf(harness.callerFor(bob).servers.get({ serverId: mine.id }))).toBe(
      "NOT_FOUND",
    );
    expect(await trpcCodeOf(harness.callerFor(bob).servers.delete({ serverId: mine.id }))).toBe(
      "NOT_FOUND",
    );
    expect((await harness.callerFor(bob).servers.list()).map((s) => s.id)).not.toContain(mine.id);
    expect(await db.prisma.server.count({ where: { id: mine.id } })).toBe(1);

    expect(await trpcCodeOf(harness.callerFor(admin).servers.get({ serverId: mine.id }))).toBe(
      "OK",
    );
    await harness.callerFor(alice).servers.delete({ serverId: mine.id });
    expect(await db.prisma.server.count({ where: { id: mine.id } })).toBe(0);
  });

  it("dispatches provisioning again when it has been stuck for too long, and only then", async () => {
    const node = await onlineNode("stuck-node", 4096, [33000, 33010]);
    const { id } = await harness.callerFor(alice).servers.create(game(128));
    await db.prisma.server.update({
      where: { id },
      data: { nodeId: node.id, provisionStage: "creating" },
    });
    const deps = harness.runtime;
    const dispatched = () =>
      harness.commands.filter((c) => c.command === "provision" && c.serverId === id);
    // The create dispatches once by itself, without waiting; count from after that.
    await vi.waitFor(() => expect(dispatched()).toHaveLength(1));

    expect(await redispatchStuckProvisioning(deps)).not.toContain(id);
    const later = new Date(Date.now() + STUCK_PROVISIONING_MS + 1000);
    expect(await redispatchStuckProvisioning({ ...deps, now: later })).toContain(id);
    expect(dispatched()).toHaveLength(2);
    // A finished server is left alone.
    await db.prisma.server.update({ where: { id }, data: { provisionStage: "ready" } });
    const muchLater = new Date(later.getTime() + 2 * STUCK_PROVISIONING_MS);
    expect(await redispatchStuckProvisioning({ ...deps, now: muchLater })).not.toContain(id);
  });

  it("validates input with short messages", async () => {
    await expect(harness.callerFor(alice).servers.create(game(1))).rejects.toThrow(
      "memoryMb: At least 64 MB.",
    );
  });

  it("refuses code-server on a dev server until the catalog has an enabled code-server version", async () => {
    await onlineNode("dev-node", 8192, [34000, 34010]);
    const dev = { kind: "dev" as const, name: "dev", memoryMb: 256, codeServer: true };
    const refused = "code-server is not available: no enabled version in the runtime catalog";
    await expect(harness.callerFor(alice).servers.create(dev)).rejects.toThrow(refused);

    const catalog = harness.callerFor(admin).runtimes;
    const addon = await catalog.create({
      name: "code-server",
      displayName: "code-server",
      kind: "addon",
    });
    const version = await catalog.addVersion({
      runtimeId: addon.id,
      version: "4.96.2",
      artifactUrl: "https://artifacts.example/code-server-4.96.2.tar.gz",
      sha256: "c".repeat(64),
      sizeBytes: 100_000_000,
      binPath: "bin",
    });
    await catalog.updateVersion({ versionId: version.id, enabled: false });
    await expect(harness.callerFor(alice).servers.create(dev)).rejects.toThrow(refused);

    await catalog.updateVersion({ versionId: version.id, enabled: true });
    const created = await harness.callerFor(alice).servers.create(dev);
    expect(await db.prisma.server.findUniqueOrThrow({ where: { id: created.id } })).toMatchObject({
      kind: "dev",
      codeServer: true,
    });
  });
});
