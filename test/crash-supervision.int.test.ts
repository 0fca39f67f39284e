// The portal's side of crash supervision on real parts: a portal on port 0, a Socket.IO client
// speaking the agent protocol on /agent, browser sockets on /browser, Postgres, and a real HTTP
// receiver for webhooks.
import { randomUUID } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Socket } from "socket.io-client";
import { createCaller, createTRPCContext } from "@berth/api";
import { createUser } from "@berth/api/services";
import { verifyWebhookSignature } from "../packages/api/src/services/webhooks/sign-webhook";
import type { ServerCrashEvent, StatsSample } from "@berth/protocol";
import { createTestDatabase, type TestDatabase } from "./db";
import {
  connectBrowser,
  connectTestAgent,
  sessionCookie,
  startTestPortal,
  waitFor,
  type AgentClientSocket,
  type TestPortal,
} from "./portal";

type TestUser = { id: string; email: string; name: string | null; role: "admin" | "user" };

let db: TestDatabase;
let portal: TestPortal;
let owner: TestUser;
let stranger: TestUser;
let admin: TestUser;
let agent: AgentClientSocket;
let otherAgent: AgentClientSocket;
let nodeId: string;
const sockets: Socket[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  portal = await startTestPortal({
    databaseUrl: db.url,
    webhookDelivery: { timeoutMs: 3_000, retryDelaysMs: [100] },
  });
  const user = (email: string, role: "admin" | "user") =>
    createUser({ db: db.prisma, email, password: "password1", role });
  owner = await user("owner@crash.test", "user");
  stranger = await user("stranger@crash.test", "user");
  admin = await user("admin@crash.test", "admin");
  ({ nodeId, socket: agent } = await connectTestAgent({ portal, prisma: db.prisma, name: "n1" }));
  ({ socket: otherAgent } = await connectTestAgent({ portal, prisma: db.prisma, name: "n2" }));
});
afterAll(async () => {
  sockets.forEach((s) => s.close());
  agent?.close();
  otherAgent?.close();
  await portal?.close();
  await db?.drop();
});

const callerFor = (user: TestUser) =>
  createCaller(createTRPCContext({ runtime: portal.runtime, sessionUser: user, ip: "127.0.0.1" }));

async function browserOf(user: TestUser, subscribeTo?: string): Promise<Socket> {
  const socket = connectBrowser(portal.url, await sessionCookie(portal.secret, user));
  sockets.push(socket);
  await waitFor(() => socket.connected || undefined, { what: `${user.email}'s socket` });
  if (subscribeTo) {
    const joined = await socket.timeout(5000).emitWithAck("server:subscribe", {
      serverId: subscribeTo,
    });
    expect(joined).toEqual({ ok: true, data: { serverId: subscribeTo } });
  }
  return socket;
}

async function serverOnNode(name: string, ownerId = owner.id, onNode = nodeId) {
  return db.prisma.server.create({
    data: {
      name,
      kind: "game",
      ownerId,
      nodeId: onNode,
      memoryMb: 256,
      cpuPercent: 100,
      diskMb: 1024,
      ports: [],
    },
  });
}

const crashOf = (serverId: string, extra: Partial<ServerCrashEvent> = {}): ServerCrashEvent => ({
  serverId,
  crashId: randomUUID(),
  at: Date.now(),
  exitCode: 1,
  signal: null,
  oomKilled: false,
  uptimeMs: 12_345,
  logTail: ["[main/INFO] Loading 42 mods", "[main/ERROR] Failed to load mod examplemod"],
  class: "mod_or_plugin_error",
  matchedRule: "forge-mod-load-failed",
  subject: "examplemod",
  suggestion: "Update or remove examplemod.",
  restartAt: Date.now() + 30_000,
  crashLoop: false,
  ...extra,
});

const report = (socket: AgentClientSocket, event: ServerCrashEvent) =>
  socket.timeout(5000).emitWithAck("server:crash", event);

describe("crash reports", () => {
  it("records a resent crash once, acks every copy as recorded, and keeps the scheduled restart", async () => {
    const server = await serverOnNode("resent");
    const event = crashOf(server.id, { uptimeMs: 30 * 86_400_000 }); // a month: beyond 32 bits
    expect(await report(agent, event)).toEqual({ ok: true, data: { recorded: true } });
    expect(await report(agent, event)).toEqual({ ok: true, data: { recorded: true } });
    // A later crash, after that restart, reported twice at once (a resend racing the first copy).
    const racing = crashOf(server.id, {
      at: event.restartAt! + 5_000,
      restartAt: event.restartAt! + 65_000,
    });
    const acks = await Promise.all([report(agent, racing), report(agent, racing)]);
    expect(acks).toEqual([
      { ok: true, data: { recorded: true } },
      { ok: true, data: { recorded: true } },
    ]);

    const rows = await db.prisma.crashEvent.findMany({ where: { serverId: server.id } });
    expect(rows.map((r) => r.crashId).sort()).toEqual([event.crashId, racing.crashId].sort());
    const first = rows.find((r) => r.crashId === event.crashId)!;
    expect(first).toMatchObject({
      exitCode: 1,
      class: "mod_or_plugin_error",
      matchedRule: "forge-mod-load-failed",
      subject: "examplemod",
      uptimeMs: BigInt(30 * 86_400_000),
      logTail: event.logTail.join("\n"),
    });
    const stored = await db.prisma.server.findUniqueOrThrow({ where: { id: server.id } });
    expect(stored.restartAt?.getTime()).toBe(racing.restartAt);
  });

  it("does not let a late report of an older crash replace a newer crash's restart", async () => {
    const server = await serverOnNode("late");
    const t = Date.now();
    const newer = crashOf(server.id, { at: t, restartAt: t + 120_000 });
    const older = crashOf(server.id, { at: t - 60_000, restartAt: t - 30_000 });
    await report(agent, newer);
    await report(agent, older);
    const stored = await db.prisma.server.findUniqueOrThrow({ where: { id: server.id } });
    expect(stored.restartAt?.getTime()).toBe(newer.restartAt);
    expect(await db.prisma.crashEvent.count({ where: { serverId: server.id } })).toBe(2);
  });

  it("shows a crash to all of the owner's browsers and to the server's room, once each, and to no one else", async () => {
    const server = await serverOnNode("watched");
    const got = new Map<string, Array<ServerCrashEvent & { id: string }>>();
    const listen = (label: string, socket: Socket) => {
      got.set(label, []);
      socket.on("server:crash", (e: ServerCrashEvent & { id: string }) => got.get(label)!.push(e));
    };
    listen("owner elsewhere", await browserOf(owner));
    listen("owner on the page", await browserOf(owner, server.id));
    listen("admin on the page", await browserOf(admin, server.id));
    listen("stranger", await browserOf(stranger));
    const strangerPage = await browserOf(stranger);
    expect(
      await strangerPage.timeout(5000).emitWithAck("server:subscribe", { serverId: server.id }),
    ).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
    listen("stranger trying the page", strangerPage);

    const event = crashOf(server.id);
    await report(agent, event);
    const row = await db.prisma.crashEvent.findUniqueOrThrow({ where: { crashId: event.crashId } });
    await waitFor(
      () =>
        ["owner elsewhere", "owner on the page", "admin on the page"].every(
          (label) => got.get(label)!.length > 0,
        ) || undefined,
      { what: "crash events" },
    );
    await report(agent, event); // a resend is not shown again
    await new Promise((r) => setTimeout(r, 300));
    expect(got.get("owner elsewhere")).toEqual([{ ...event, id: row.id }]);
    expect(got.get("owner on the page")).toHaveLength(1);
    expect(got.get("admin on the page")).toHaveLength(1);
    expect(got.get("stranger")).toEqual([]);
    expect(got.get("stranger trying the page")).toEqual([]);
  });

  it("ignores a node reporting crashes or stats of another node's servers", async () => {
    const server = await serverOnNode("not-yours");
    const watcher = await browserOf(owner, server.id);
    let received = 0;
    watcher.on("server:crash", () => received++);
    watcher.on("server:stats", () => received++);

    expect(await report(otherAgent, crashOf(server.id))).toEqual({
      ok: true,
      data: { recorded: false },
    });
    otherAgent.emit("server:stats", { samples: [sampleOf(server.id, Date.now())] });
    await new Promise((r) => setTimeout(r, 300));
    await portal.stats.flush();
    expect(await db.prisma.crashEvent.count({ where: { serverId: server.id } })).toBe(0);
    expect(await db.prisma.serverStat.count({ where: { serverId: server.id } })).toBe(0);
    expect(received).toBe(0);
  });
});

describe("scheduled restarts", () => {
  it("keeps restartAt from state reports, for a reloaded page to count down, until the server runs", async () => {
    const server = await serverOnNode("countdown");
    const since = Date.now();
    const restartAt = since + 30_000;
    agent.emit("server:state", {
      serverId: server.id,
      state: "crashed",
      since,
      exit: { exitCode: 1, signal: null, oomKilled: false },
      restartAt,
      codeServer: null,
      reason: "crashed",
    });
    const caller = callerFor(owner);
    await waitFor(
      async () =>
        (await caller.servers.get({ serverId: server.id })).restartAt?.getTime() === restartAt ||
        undefined,
      { what: "restartAt stored" },
    );
    const listed = (await caller.servers.list()).find((s) => s.id === server.id);
    expect(listed?.restartAt?.getTime()).toBe(restartAt);

    agent.emit("server:state", {
      serverId: server.id,
      state: "running",
      since: since + 31_000,
      exit: null,
      restartAt: null,
      codeServer: null,
      reason: null,
    });
    await waitFor(
      async () =>
        ((await caller.servers.get({ serverId: server.id })).observedState === "running" &&
          (await caller.servers.get({ serverId: server.id })).restartAt === null) ||
        undefined,
      { what: "restartAt cleared" },
    );
  });
});

describe("crash webhook", () => {
  interface Received {
    headers: IncomingHttpHeaders;
    body: string;
  }
  let receiver: HttpServer;
  let received: Received[] = [];
  let answer: (n: number) => { status: number; delayMs: number } = () => ({
    status: 200,
    delayMs: 0,
  });
  let receiverUrl: string;

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = "";
      req.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
      req.on("end", () => {
        received.push({ headers: req.headers, body });
        const { status, delayMs } = answer(received.length);
        setTimeout(() => res.writeHead(status).end(), delayMs);
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/secret-token`;
  });
  afterAll(async () => {
    receiver.closeAllConnections();
    await new Promise((resolve) => receiver.close(resolve));
  });

  it("sends the owner's receiver a signed crash event without holding up the agent's ack", async () => {
    received = [];
    answer = () => ({ status: 200, delayMs: 1500 }); // a slow receiver
    const server = await serverOnNode("hooked");
    const { secret } = await callerFor(owner).me.webhook.set({ url: receiverUrl });
    expect(secret).toMatch(/^whsec_/);

    const event = crashOf(server.id);
    const startedAt = Date.now();
    expect(await report(agent, event)).toEqual({ ok: true, data: { recorded: true } });
    expect(Date.now() - startedAt).toBeLessThan(1000);

    const delivery = await waitFor(() => received[0], { what: "webhook request" });
    const timestamp = delivery.headers["x-berth-timestamp"] as string;
    const signature = delivery.headers["x-berth-signature"] as string;
    expect(signature).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature(secret!, timestamp, delivery.body, signature)).toBe(true);
    expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(60);
    expect(delivery.headers["content-type"]).toBe("application/json");

    const row = await db.prisma.crashEvent.findUniqueOrThrow({ where: { crashId: event.crashId } });
    const payload = JSON.parse(delivery.body);
    expect(payload).toMatchObject({
      type: "server.crash",
      server: { id: server.id, name: "hooked" },
      crash: {
        id: row.id,
        class: "mod_or_plugin_error",
        exitCode: 1,
        subject: "examplemod",
        suggestion: "Update or remove examplemod.",
        uptimeMs: 12_345,
        crashLoop: false,
        logTail: event.logTail,
        restartAt: new Date(event.restartAt!).toISOString(),
      },
    });

    // A resent report does not notify again.
    await report(agent, event);
    await new Promise((r) => setTimeout(r, 300));
    expect(received).toHaveLength(1);
  });

  it("retries a receiver that failed, with the same delivery id, signed each time", async () => {
    received = [];
    answer = (n) => ({ status: n === 1 ? 503 : 204, delayMs: 0 });
    const server = await serverOnNode("flaky");
    const { secret } = await callerFor(owner).me.webhook.rotateSecret();
    await report(agent, crashOf(server.id));
    await waitFor(() => received[1], { what: "second attempt" });
    expect(received[0]!.headers["x-berth-delivery"]).toBe(received[1]!.headers["x-berth-delivery"]);
    for (const r of received) {
      const ok = verifyWebhookSignature(
        secret,
        r.headers["x-berth-timestamp"] as string,
        r.body,
        r.headers["x-berth-signature"] as string,
      );
      expect(ok).toBe(true);
    }
    await new Promise((r) => setTimeout(r, 300));
    expect(received).toHaveLength(2);
  });
});

function sampleOf(serverId: string, at: number, extra: Partial<StatsSample> = {}): StatsSample {
  return {
    serverId,
    at,
    cpuPercent: 50,
    memoryBytes: 100 * 2 ** 20,
    memoryLimitBytes: 256 * 2 ** 20,
    rxBytes: 0,
    txBytes: 0,
    ...extra,
  };
}

describe("stats", () => {
  it("streams samples to the server's room and keeps downsampled history for the charts", async () => {
    const server = await serverOnNode("busy");
    const other = await serverOnNode("idle");
    const page = await browserOf(owner, server.id);
    const live: Array<{ serverId: string; samples: StatsSample[] }> = [];
    page.on("server:stats", (e: { serverId: string; samples: StatsSample[] }) => live.push(e));

    // Align to a 10 s bucket so the expected averages do not straddle two buckets.
    const t = Math.floor(Date.now() / 10_000) * 10_000 - 20_000;
    agent.emit("server:stats", {
      samples: [
        sampleOf(server.id, t, { cpuPercent: 10, rxBytes: 0, txBytes: 0 }),
        sampleOf(other.id, t),
      ],
    });
    agent.emit("server:stats", {
      samples: [sampleOf(server.id, t + 2000, { cpuPercent: 30, rxBytes: 4000, txBytes: 1000 })],
    });
    await waitFor(() => live.length === 2 || undefined, { what: "live samples" });
    expect(live.every((e) => e.serverId === server.id)).toBe(true);
    expect(live[1]!.samples[0]).toMatchObject({ cpuPercent: 30, rxBytes: 4000 });
    await portal.stats.flush();

    // A later flush of the same bucket is merged into the row, weighted by its samples.
    agent.emit("server:stats", {
      samples: [sampleOf(server.id, t + 4000, { cpuPercent: 80, rxBytes: 8000, txBytes: 2000 })],
    });
    await waitFor(() => live.length === 3 || undefined, { what: "third sample" });
    await portal.stats.flush();

    const history = await callerFor(owner).servers.stats({ serverId: server.id, range: "1h" });
    expect(history.resolutionS).toBe(10);
    expect(history.points).toHaveLength(1);
    expect(history.points[0]!.at).toBe(t);
    expect(history.points[0]!.cpuPercent).toBeCloseTo(40);
    expect(history.points[0]!.rxRate).toBeGreaterThan(1000); // 2000 B/s, weighted with the first sample
    expect(history.points[0]!.memoryLimitBytes).toBe(256 * 2 ** 20);

    const day = await callerFor(owner).servers.stats({ serverId: server.id, range: "24h" });
    expect(day.resolutionS).toBe(300);
    expect(day.points).toHaveLength(1);
    expect(day.points[0]!.cpuPercent).toBeCloseTo(40);
    const row = await db.prisma.serverStat.findFirstOrThrow({
      where: { serverId: server.id, resolutionS: 300 },
    });
    expect(row.samples).toBe(3);
  });
});
