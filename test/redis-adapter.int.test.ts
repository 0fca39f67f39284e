import { mkdtempSync } from "node:fs";
import { connect as tcpConnect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { commandNode } from "../apps/portal/src/server/socket/command-node";
import { spawnAgent, type AgentProcess } from "./agent-process";
import { createTestDatabase, type TestDatabase } from "./db";
import {
  enrollTestNode,
  startTestPortal,
  waitFor,
  watchNodeStatus,
  type TestPortal,
} from "./portal";
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
    // The admin's browser is on portal B; the agent will link to portal A.
    const { seen, browser } = await watchNodeStatus(portalB, db.prisma, "a@redis.test");
    const dir = mkdtempSync(join(tmpdir(), "berth-redis-"));
    const { nodeId, configFile } = await enrollTestNode({
      prisma: db.prisma,
      portalUrl: portalA.url,
      name: "shared",
      dir,
    });
    agent = spawnAgent(["run"], { BERTH_AGENT_CONFIG: configFile, BERTH_AGENT_DATA_DIR: dir });

    // Portal A hears the hello; the broadcast reaches the admin connected to portal B.
    await waitFor(() => seen.find((e) => e.id === nodeId && e.status === "online"), {
      what: "status via B",
    });
    // The link stays up: joining portal A's room must not kick the agent's own socket.
    await new Promise((r) => setTimeout(r, 1500));
    expect(agent.output().match(/"msg":"connected to portal"/g)).toHaveLength(1);
    // A command issued on portal B travels through Redis to the agent's socket on portal A.
    const pong = await commandNode(portalB.agents, nodeId, "node:ping", {
      sentAt: Date.now(),
    });
    expect(pong).toEqual({ ok: true, data: { receivedAt: expect.any(Number) } });
    browser.close();
  });
});
