// Crash supervision's procedures against real Postgres: crash history, stats history, restart
// policy (and how a changed spec reaches the node), template rules, and the user's webhook with a
// real HTTP receiver.
import { createServer, type IncomingHttpHeaders, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Result, ServerSnapshot, ServerSpecPayload } from "@berth/protocol";
import { createTestDatabase, type TestDatabase } from "../../../test/db";
import type { AgentCommands, ApiRuntime } from "./lib/runtime";
import { createCaller } from "./root";
import { toCrashView } from "./services/crashes/crash-view";
import { pruneStats } from "./services/stats/prune-stats";
import { ensureBuiltinTemplates } from "./services/templates/builtin-templates";
import { createUser } from "./services/users/create-user";
import { notifyCrashWebhook } from "./services/webhooks/notify-crash";
import { verifyWebhookSignature } from "./services/webhooks/sign-webhook";
import { testRuntime, trpcCodeOf } from "./test-runtime";
import { createTRPCContext, type SessionUser } from "./trpc";

let db: TestDatabase;
let harness: ReturnType<typeof testRuntime>;
let owner: SessionUser;
let stranger: SessionUser;
let admin: SessionUser;
let nodeId: string;
let genericId: string;

/** A node that answers: provisioning is recorded and answered by `answer`. */
const provisions: Array<{ spec: ServerSpecPayload; start: boolean }> = [];
const powers: Array<{ serverId: string; action: string }> = [];
let answer: (spec: ServerSpecPayload) => Result<ServerSnapshot>;
const snapshot = (serverId: string, state: ServerSnapshot["state"]): Result<ServerSnapshot> => ({
  ok: true,
  data: { serverId, state, since: Date.now(), exit: null, restartAt: null, codeServer: null },
});
const answeringAgents: AgentCommands = {
  provision: async (_nodeId, request) => {
    provisions.push(request);
    return answer(request.spec);
  },
  power: async (_nodeId, request) => {
    powers.push(request);
    return snapshot(request.serverId, request.action === "stop" ? "offline" : "running");
  },
  remove: async () => ({ ok: true, data: { deleted: true } }),
  codeServer: async () => ({ ok: false, error: { code: "NOT_FOUND", message: "none" } }),
  files: async () => ({ ok: false, error: { code: "NOT_FOUND", message: "none" } }),
  listMods: async () => ({ ok: false, error: { code: "NOT_FOUND", message: "none" } }),
  modAction: async () => ({ ok: false, error: { code: "NOT_FOUND", message: "none" } }),
};
const withAgent = (user: SessionUser) => {
  const runtime: ApiRuntime = { ...harness.runtime, agents: answeringAgents };
  return createCaller(createTRPCContext({ runtime, sessionUser: user, ip: "10.0.0.1" }));
};

beforeAll(async () => {
  db = await createTestDatabase();
  harness = testRuntime(db.prisma);
  const user = (email: string, role: "admin" | "user") =>
    createUser({ db: db.prisma, email, password: "password1", role });
  owner = await user("owner@sup.test", "user");
  stranger = await user("stranger@sup.test", "user");
  admin = await user("admin@sup.test", "admin");
  nodeId = (await db.prisma.node.create({ data: { name: "n", status: "online" } })).id;
  await ensureBuiltinTemplates({ prisma: db.prisma });
  genericId = (await db.prisma.template.findUniqueOrThrow({ where: { slug: "generic-console" } }))
    .id;
});
afterAll(() => db?.drop());

const newServer = (name: string, data: Record<string, unknown> = {}) =>
  db.prisma.server.create({
    data: {
      name,
      kind: "game",
      ownerId: owner.id,
      nodeId,
      templateId: genericId,
      memoryMb: 256,
      cpuPercent: 100,
      diskMb: 1024,
      ports: [{ name: "main", hostPort: 30000, containerPort: 8080, protocol: "tcp" }],
      ...data,
    },
  });

const crashRow = (serverId: string, occurredAt: Date, cls = "nonzero_exit") =>
  db.prisma.crashEvent.create({
    data: { serverId, occurredAt, uptimeMs: 1000n, logTail: "a\nb", class: cls, exitCode: 1 },
  });

describe("crash history", () => {
  it("lists a server's crashes newest first, a page at a time", async () => {
    const server = await newServer("history");
    const t = Date.now();
    for (let i = 0; i < 5; i++) await crashRow(server.id, new Date(t - i * 60_000), `c${i}`);
    const caller = harness.callerFor(owner);
    const first = await caller.servers.crashes({ serverId: server.id, limit: 2 });
    expect(first.items.map((c) => c.class)).toEqual(["c0", "c1"]);
    expect(first.items[0]).toMatchObject({ logTail: ["a", "b"], uptimeMs: 1000, exitCode: 1 });
    const second = await caller.servers.crashes({
      serverId: server.id,
      limit: 2,
      cursor: first.nextCursor,
    });
    expect(second.items.map((c) => c.class)).toEqual(["c2", "c3"]);
    const last = await caller.servers.crashes({
      serverId: server.id,
      limit: 2,
      cursor: second.nextCursor,
    });
    expect(last).toMatchObject({ items: [{ class: "c4" }], nextCursor: null });
    expect(await trpcCodeOf(caller.servers.crashes({ serverId: server.id, cursor: "nope" }))).toBe(
      "BAD_REQUEST",
    );

    const detail = await caller.servers.get({ serverId: server.id });
    expect(detail.lastCrash).toMatchObject({ class: "c0", crashLoop: false });
  });

  it("keeps crashes, stats and the restart policy of a server from anyone but its owner and admins", async () => {
    const server = await newServer("private");
    await crashRow(server.id, new Date());
    const them = harness.callerFor(stranger);
    const serverId = server.id;
    expect(await trpcCodeOf(them.servers.crashes({ serverId }))).toBe("NOT_FOUND");
    expect(await trpcCodeOf(them.servers.stats({ serverId, range: "1h" }))).toBe("NOT_FOUND");
    const policy = { autoRestart: false, restartDelaysS: [1], restartResetS: 1, crashLoopAfter: 1 };
    expect(await trpcCodeOf(them.servers.updateRestartPolicy({ serverId, ...policy }))).toBe(
      "NOT_FOUND",
    );
    const unchanged = await db.prisma.server.findUniqueOrThrow({ where: { id: serverId } });
    expect(unchanged).toMatchObject({ autoRestart: true, restartDelaysS: [30, 60, 120] });

    const boss = harness.callerFor(admin);
    expect((await boss.servers.crashes({ serverId })).items).toHaveLength(1);
    expect(await trpcCodeOf(boss.servers.stats({ serverId, range: "24h" }))).toBe("OK");
  });
});

describe("stats history", () => {
  it("returns the range's resolution, oldest first, with numbers for the charts", async () => {
    const server = await newServer("charted");
    const now = Date.now();
    const bucket = (resolutionS: number, ago: number, cpuPercent: number) => ({
      serverId: server.id,
      resolutionS,
      bucketAt: new Date(now - ago),
      samples: 5,
      cpuPercent,
      memoryBytes: 5n * 2n ** 30n,
      memoryLimitBytes: 8n * 2n ** 30n,
      rxRate: 100,
      txRate: 50,
    });
    await db.prisma.serverStat.createMany({
      data: [
        bucket(10, 20_000, 2),
        bucket(10, 30_000, 1),
        bucket(10, 2 * 3_600_000, 9), // outside 1 h
        bucket(300, 3 * 3_600_000, 7),
      ],
    });
    const caller = harness.callerFor(owner);
    const hour = await caller.servers.stats({ serverId: server.id, range: "1h" });
    expect(hour.resolutionS).toBe(10);
    expect(hour.points.map((p) => p.cpuPercent)).toEqual([1, 2]);
    expect(hour.points[0]).toMatchObject({
      memoryBytes: 5 * 2 ** 30,
      memoryLimitBytes: 8 * 2 ** 30,
      rxRate: 100,
      txRate: 50,
    });
    const day = await caller.servers.stats({ serverId: server.id, range: "24h" });
    expect(day).toMatchObject({ resolutionS: 300, points: [{ cpuPercent: 7 }] });
  });
});

describe("stats retention", () => {
  it("prunes 10 s buckets after about an hour and 5 min buckets after about a day", async () => {
    const server = await newServer("pruned");
    const now = Date.now();
    const row = (resolutionS: number, ago: number) => ({
      serverId: server.id,
      resolutionS,
      bucketAt: new Date(now - ago),
      cpuPercent: 1,
      memoryBytes: 1n,
      memoryLimitBytes: 1n,
      rxRate: 0,
      txRate: 0,
    });
    await db.prisma.serverStat.createMany({
      data: [
        row(10, 50 * 60_000),
        row(10, 70 * 60_000),
        row(300, 23 * 3_600_000),
        row(300, 25 * 3_600_000),
      ],
    });
    expect(await pruneStats({ prisma: db.prisma, now })).toBeGreaterThanOrEqual(2);
    const left = await db.prisma.serverStat.findMany({ where: { serverId: server.id } });
    expect(left.map((r) => now - r.bucketAt.getTime()).sort((a, b) => a - b)).toEqual([
      50 * 60_000,
      23 * 3_600_000,
    ]);
  });
});

describe("restart policy", () => {
  const policy = {
    autoRestart: true,
    restartDelaysS: [1, 2, 4],
    restartResetS: 10,
    crashLoopAfter: 5,
  };

  it("validates with short messages", async () => {
    const server = await newServer("strict");
    const caller = harness.callerFor(owner);
    const update = (extra: Record<string, unknown>) =>
      caller.servers.updateRestartPolicy({ serverId: server.id, ...policy, ...extra });
    await expect(update({ restartDelaysS: [] })).rejects.toThrow(
      "restartDelaysS: Give at least one delay.",
    );
    await expect(update({ restartDelaysS: [-1] })).rejects.toThrow(
      "restartDelaysS.0: Delays cannot be negative.",
    );
    await expect(update({ crashLoopAfter: 0 })).rejects.toThrow("crashLoopAfter: At least 1.");
  });

  it("reaches a stopped server's node at once, without starting it", async () => {
    const server = await newServer("stopped", { observedState: "offline" });
    provisions.length = 0;
    answer = (spec) => snapshot(spec.serverId, "offline");
    const result = await withAgent(owner).servers.updateRestartPolicy({
      serverId: server.id,
      ...policy,
    });
    expect(result).toEqual({ takesEffect: "now" });
    expect(provisions).toHaveLength(1);
    expect(provisions[0]!.start).toBe(false);
    expect(provisions[0]!.spec.policy.restart).toEqual({
      enabled: true,
      delaysMs: [1000, 2000, 4000],
      resetAfterMs: 10_000,
      maxConsecutiveCrashes: 5,
    });
    const stored = await db.prisma.server.findUniqueOrThrow({ where: { id: server.id } });
    expect(stored).toMatchObject({ ...policy, specPendingSince: null });
    const audit = await db.prisma.auditLog.findFirstOrThrow({
      where: { targetId: server.id, action: "server.restart_policy" },
    });
    expect(audit).toMatchObject({ actorId: owner.id, data: policy });
    expect(
      (await harness.callerFor(owner).servers.get({ serverId: server.id })).restartPolicy,
    ).toEqual(policy);
  });

  it("waits for the next start when the node cannot change a running server, and that start sends it", async () => {
    const server = await newServer("busy", { observedState: "running", desiredState: "running" });
    provisions.length = 0;
    powers.length = 0;
    answer = () => ({
      ok: false,
      error: { code: "CONFLICT", message: "stop it before changing its spec" },
    });
    const caller = withAgent(owner);
    expect(
      await caller.servers.updateRestartPolicy({
        serverId: server.id,
        ...policy,
        autoRestart: false,
      }),
    ).toEqual({ takesEffect: "next_start" });
    expect((await caller.servers.get({ serverId: server.id })).specPending).toBe(true);
    const pending = await db.prisma.server.findUniqueOrThrow({ where: { id: server.id } });
    expect(pending.provisionStage).not.toBe("failed"); // a refused push is not a failed provision

    // A restart stops, then provisions with the new spec and start=true.
    answer = (spec) => snapshot(spec.serverId, "running");
    await caller.servers.power({ serverId: server.id, action: "restart" });
    expect(powers).toEqual([{ serverId: server.id, action: "stop" }]);
    expect(provisions.at(-1)).toMatchObject({
      start: true,
      spec: { policy: { restart: { enabled: false } } },
    });
    expect((await caller.servers.get({ serverId: server.id })).specPending).toBe(false);

    // Nothing pending: power actions go to the node as they are.
    await caller.servers.power({ serverId: server.id, action: "restart" });
    expect(powers.at(-1)).toEqual({ serverId: server.id, action: "restart" });
  });
});

describe("template crash rules", () => {
  const rule = {
    id: "echo-missing-lib",
    class: "missing_dependency" as const,
    pattern: String.raw`error while loading shared libraries: (?<name>[\w.+-]+)`,
    suggestion: "Install {name} in the image.",
  };

  it("lets admins replace rules and the liveness check, audited, and marks the template's servers", async () => {
    const server = await newServer("ruled");
    const caller = harness.callerFor(admin);
    await expect(
      caller.templates.update({
        templateId: genericId,
        crashRules: [{ ...rule, pattern: "shared libraries: (" }],
      }),
    ).rejects.toThrow(
      "crashRules.0.pattern: Invalid regular expression: /shared libraries: (/i: Unterminated group",
    );
    await expect(caller.templates.update({ templateId: genericId })).rejects.toThrow(
      "Nothing to change.",
    );
    await expect(
      caller.templates.update({ templateId: "missing", liveness: null }),
    ).rejects.toThrow("No such template.");

    const liveness = {
      kind: "console" as const,
      command: "ping",
      expect: "^> ping$",
      initialDelayMs: 1000,
      intervalMs: 5000,
      timeoutMs: 2000,
      failures: 2,
    };
    const updated = await caller.templates.update({
      templateId: genericId,
      crashRules: [rule],
      liveness,
    });
    expect(updated).toMatchObject({ crashRules: [rule], liveness });
    expect((await caller.templates.get({ templateId: genericId })).crashRules).toEqual([rule]);
    const audit = await db.prisma.auditLog.findFirstOrThrow({
      where: { targetId: genericId, action: "template.update" },
    });
    expect(audit.actorId).toBe(admin.id);
    const marked = await db.prisma.server.findUniqueOrThrow({ where: { id: server.id } });
    expect(marked.specPendingSince).not.toBeNull();

    provisions.length = 0;
    answer = (spec) => snapshot(spec.serverId, "running");
    await withAgent(owner).servers.power({ serverId: server.id, action: "start" });
    expect(provisions[0]!.spec.policy).toMatchObject({ crashRules: [rule], liveness });

    // Removing the check stores SQL NULL.
    await caller.templates.update({ templateId: genericId, liveness: null });
    expect(
      (await db.prisma.template.findUniqueOrThrow({ where: { id: genericId } })).liveness,
    ).toBeNull();
  });
});

describe("webhook", () => {
  let receiver: HttpServer;
  let received: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
  let status = 200;
  let base: string;

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = "";
      req.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
      req.on("end", () => {
        received.push({ headers: req.headers, body });
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    receiver.closeAllConnections();
    await new Promise((resolve) => receiver.close(resolve));
  });

  it("shows the secret once, keeps it encrypted, and sends a signed test event", async () => {
    const me = harness.callerFor(owner);
    expect(await me.me.webhook.get()).toEqual({ url: null, hasSecret: false });
    await expect(me.me.webhook.set({ url: "http://example.com/hook" })).rejects.toThrow(
      "url: Use an https:// URL (http:// only for localhost).",
    );
    expect(await trpcCodeOf(me.me.webhook.test())).toBe("BAD_REQUEST");

    const { secret } = await me.me.webhook.set({ url: `${base}/hook` });
    expect(secret).toMatch(/^whsec_/);
    expect(await me.me.webhook.get()).toEqual({ url: `${base}/hook`, hasSecret: true });
    const row = await db.prisma.user.findUniqueOrThrow({ where: { id: owner.id } });
    expect(row.webhookSecretEnc).not.toContain(secret!.slice(6));
    expect(harness.runtime.webhookSecrets.open(row.webhookSecretEnc!, owner.id)).toBe(secret);
    // Changing the URL keeps the secret and does not show it again.
    expect(await me.me.webhook.set({ url: `${base}/hook2` })).toEqual({
      url: `${base}/hook2`,
      secret: null,
    });

    received = [];
    status = 200;
    expect(await me.me.webhook.test()).toEqual({ ok: true, status: 200, error: null });
    const [request] = received;
    expect(JSON.parse(request!.body)).toMatchObject({ type: "webhook.test" });
    expect(
      verifyWebhookSignature(
        secret!,
        request!.headers["x-berth-timestamp"] as string,
        request!.body,
        request!.headers["x-berth-signature"] as string,
      ),
    ).toBe(true);

    status = 500;
    expect(await me.me.webhook.test()).toEqual({ ok: false, status: 500, error: "HTTP 500" });

    const { secret: rotated } = await me.me.webhook.rotateSecret();
    expect(rotated).not.toBe(secret);
    await me.me.webhook.clear();
    expect(await me.me.webhook.get()).toEqual({ url: null, hasSecret: false });
    const actions = await db.prisma.auditLog.findMany({
      where: { targetId: owner.id, action: { startsWith: "user.webhook." } },
    });
    expect(actions.map((a) => a.action).sort()).toEqual([
      "user.webhook.clear",
      "user.webhook.rotate_secret",
      "user.webhook.set",
      "user.webhook.set",
    ]);
    expect(JSON.stringify(actions)).not.toContain("/hook");
  });

  it("logs a failed crash delivery with the origin only, never the secret or the URL's path", async () => {
    const server = await newServer("noisy");
    const { secret } = await harness.callerFor(owner).me.webhook.set({
      url: `${base}/hooks/private-token`,
    });
    const lines: string[] = [];
    const log = pino(
      { level: "info" },
      new Writable({
        write(chunk: Buffer, _enc, done) {
          lines.push(chunk.toString("utf8"));
          done();
        },
      }),
    );
    const crash = toCrashView(await crashRow(server.id, new Date()));
    received = [];
    status = 502;
    await notifyCrashWebhook({
      prisma: db.prisma,
      webhookSecrets: harness.runtime.webhookSecrets,
      publicUrl: "http://portal.test",
      log,
      server: { id: server.id, name: server.name, ownerId: owner.id },
      crash,
      restartAt: null,
      options: { timeoutMs: 1000, retryDelaysMs: [10, 10] },
    });
    expect(received).toHaveLength(3);
    const logged = lines.join("");
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({
      msg: "crash webhook failed",
      origin: base,
      status: 502,
      attempts: 3,
    });
    expect(logged).not.toContain("private-token");
    expect(logged).not.toContain(secret!);
  });
});
