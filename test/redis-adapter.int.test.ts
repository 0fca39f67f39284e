import { mkdtempSync } from "node:fs";
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
import { redisAvailable, requireDependency, TEST_REDIS_URL } from "./require-dependency";

const redisUrl = TEST_REDIS_URL;

const describeWithRedis = requireDependency(
  "Redis",
  await redisAvailable(redisUrl),
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
