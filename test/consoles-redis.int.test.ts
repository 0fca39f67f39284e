// Consoles across two portals behind one Redis: the agent links to portal A, the browser is on
// portal B. A forwards the console's output to B; B's viewer survives A's restart.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Socket } from "socket.io-client";
import { createCaller, createTRPCContext } from "@berth/api";
import { createUser, ensureBuiltinTemplates } from "@berth/api/services";
import type { ConsoleFrame, ConsoleOutput } from "@berth/protocol";
import { startProcessAgent, type AgentProcess } from "./agent-process";
import { createTestDatabase, type TestDatabase } from "./db";
import { connectBrowser, sessionCookie, startTestPortal, waitFor, type TestPortal } from "./portal";
import { redisAvailable, requireDependency, TEST_REDIS_URL } from "./require-dependency";

const redisUrl = TEST_REDIS_URL;

const describeWithRedis = requireDependency(
  "Redis",
  await redisAvailable(redisUrl),
  `two portals relay consoles through ${redisUrl}`,
);

const ticks = (text: string) => [...text.matchAll(/tick (\d+)\r?\n/g)].map((m) => Number(m[1]));

describeWithRedis("consoles across two portals behind one Redis", () => {
  let db: TestDatabase;
  let portalA: TestPortal;
  let portalB: TestPortal;
  let agent: AgentProcess | undefined;
  let nodeId: string;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    await ensureBuiltinTemplates({ prisma: db.prisma });
    portalA = await startTestPortal({ databaseUrl: db.url, redisUrl });
    portalB = await startTestPortal({ databaseUrl: db.url, redisUrl });
    const dir = mkdtempSync(join(tmpdir(), "berth-consoles-redis-"));
    ({ nodeId, agent } = await startProcessAgent({
      prisma: db.prisma,
      portalUrl: portalA.url,
      name: "shared-consoles",
      dir,
    }));
  }, 120_000);

  afterAll(async () => {
    for (const socket of sockets) socket.close();
    agent?.child.kill("SIGKILL");
    await agent?.exited;
    // Let the portals record the node offline before their Redis clients go.
    await waitFor(
      async () =>
        (await db.prisma.node.findUnique({ where: { id: nodeId } }))?.status === "offline" ||
        undefined,
      { what: "node offline" },
    ).catch(() => undefined);
    await portalA?.close();
    await portalB?.close();
    await db?.drop();
  });

  it("lets a browser on the other portal watch and type, and keeps its stream across a restart of the agent's portal", async () => {
    const created = await createUser({
      db: db.prisma,
      email: "owner@consoles-redis.test",
      password: "password1",
      role: "user",
    });
    const owner = { ...created, name: null, role: "user" as const };
    const caller = createCaller(
      createTRPCContext({ runtime: portalB.runtime, sessionUser: owner, ip: "127.0.0.1" }),
    );
    await db.prisma.template.create({
      data: {
        slug: "test-counter",
        name: "Counter",
        image: "berth/generic:1",
        startup: `sh -c 'echo "Server ready"; (i=0; while :; do i=$((i+1)); echo "tick $i"; sleep 0.05; done) & while read line; do echo "> $line"; done'`,
        donePattern: "Server ready",
        stopTimeoutS: 2,
        termTimeoutS: 2,
      },
    });
    const template = await db.prisma.template.findUniqueOrThrow({
      where: { slug: "test-counter" },
    });
    const { id } = await caller.servers.create({
      kind: "game",
      name: "counter",
      templateId: template.id,
      memoryMb: 64,
    });
    await waitFor(
      async () =>
        (await db.prisma.server.findUniqueOrThrow({ where: { id } })).observedState === "running" ||
        undefined,
      { what: "running", timeoutMs: 60_000 },
    );

    const browser = connectBrowser(portalB.url, await sessionCookie(portalB.secret, owner));
    sockets.push(browser);
    const batches: ConsoleOutput[] = [];
    browser.on("console:data", (batch: ConsoleOutput) => batches.push(batch));
    const frames = (): ConsoleFrame[] => batches.flatMap((b) => b.frames);
    const text = () =>
      frames()
        .map((f) => f.data)
        .join("");
    await waitFor(() => browser.connected || undefined, { what: "browser on B" });
    const joined = await browser
      .timeout(10_000)
      .emitWithAck("console:join", { serverId: id, terminalId: null });
    expect(joined).toMatchObject({ ok: true, data: { serverId: id, runId: expect.any(String) } });
    await waitFor(() => text().includes("Server ready") || undefined, { what: "replay via B" });
    await waitFor(() => (ticks(text()).length > 5 ? true : undefined), { what: "live via A" });
    expect(
      await browser
        .timeout(10_000)
        .emitWithAck("console:input", { serverId: id, terminalId: null, data: "from b\n" }),
    ).toEqual({ ok: true, data: {} });
    await waitFor(() => text().includes("> from b") || undefined, { what: "input via A" });

    // The portal holding the agent's link restarts; the viewer on B stays where it is.
    const port = portalA.port;
    await portalA.close();
    portalA = await startTestPortal({ databaseUrl: db.url, redisUrl, port });
    const seenBefore = ticks(text()).at(-1)!;
    await waitFor(() => (ticks(text()).at(-1)! > seenBefore + 20 ? true : undefined), {
      what: "ticks after the agent relinked",
      timeoutMs: 30_000,
    });
    const all = frames();
    for (let i = 1; i < all.length; i++) expect(all[i]!.fromSeq).toBe(all[i - 1]!.toSeq);
    expect(all.some((f) => f.kind === "gap")).toBe(false);
    const seen = ticks(text());
    expect(seen).toEqual(seen.map((_, i) => seen[0]! + i));
    await caller.servers.delete({ serverId: id });
  }, 120_000);
});
