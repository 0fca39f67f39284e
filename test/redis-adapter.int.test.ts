import { mkdtempSync } from "node:fs";
import { connect as tcpConnect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createNode, createUser, systemActor } from "@berth/api/services";
import type { NodeStatusEvent } from "@berth/protocol";
import { enroll } from "../apps/agent/src/enroll";
import { commandNode } from "../apps/portal/src/server/socket/command-node";
import { spawnAgent, type AgentProcess } from "./agent-process";
import { createTestDatabase, type TestDatabase } from "./db";
import { connectBrowser, sessionCookie, startTestPortal, waitFor, type TestPortal } from "./portal";
import { requireDependency } from "./require-dependency";

const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

function redisAnswers(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = tcpConnect({ host: hostname, port: Number(port || 6379), timeout: 1000 });
    socket.once("connect", () => {
      socket.write("PING\r\n");
      socket.once("data", (d) => {
        resolve(d.toString().startsWith("+PONG"));
        socket.destroy();
      });
    });
    socket.once("error", () => resolve(false));
    socket.once("timeout", () => {
      socket.destroy();
      resolve(false);
    });
  });
}

const describeWithRedis = requireDependency(
  "Redis",
  await redisAnswers(redisUrl),
  `two portals share Socket.IO rooms through ${redisUrl}`,
);

describeWithRedis("two portals behind one Redis", () => {
  let db: TestDatabase;
  let portalA: TestPortal;
  let portalB: TestPortal;
  let agent: AgentProcess | undefined;

  beforeAll(async () => {
    db = await createTestDatabase();
    portalA = await startTestPortal({ databaseUrl: db.url, redisUrl });
    portalB = await startTestPortal({ databaseUrl: db.url, redisUrl });
  });
  afterAll(async () => {
    agent?.child.kill("SIGKILL");
    await portalA?.close();
    await portalB?.close();
    await db?.drop();
  });

  it("lets a browser on one portal see and command an agent linked to the other", async () => {
    const admin = await createUser({
      db: db.prisma,
      email: "a@redis.test",
      password: "password1",
      role: "admin",
    });
    // The browser cookie must be signed with portal B's secret: each test portal has its own.
    const browser = connectBrowser(
      portalB.url,
      await sessionCookie(portalB.secret, { ...admin, role: "admin" }),
    );
    const seen: NodeStatusEvent[] = [];
    browser.on("node:status", (e: NodeStatusEvent) => seen.push(e));
    await waitFor(() => browser.connected || undefined, { what: "browser on B" });

    const created = await createNode({
      prisma: db.prisma,
      name: "shared",
      actor: systemActor,
      publicUrl: portalA.url,
    });
    const dir = mkdtempSync(join(tmpdir(), "berth-redis-"));
    const configFile = join(dir, "agent.json");
    await enroll({ portalUrl: portalA.url, token: created.enrollmentToken, configFile });
    agent = spawnAgent(["run"], { BERTH_AGENT_CONFIG: configFile, BERTH_AGENT_DATA_DIR: dir });

    // Portal A hears the hello; the broadcast reaches the admin connected to portal B.
    await waitFor(() => seen.find((e) => e.id === created.node.id && e.status === "online"), {
      what: "status via B",
    });
    // The link stays up: joining portal A's room must not kick the agent's own socket.
    await new Promise((r) => setTimeout(r, 1500));
    expect(agent.output().match(/"msg":"connected to portal"/g)).toHaveLength(1);
    // A command issued on portal B travels through Redis to the agent's socket on portal A.
    const pong = await commandNode(portalB.agents, created.node.id, "node:ping", {
      sentAt: Date.now(),
    });
    expect(pong).toEqual({ ok: true, data: { receivedAt: expect.any(Number) } });
    browser.close();
  });
});
