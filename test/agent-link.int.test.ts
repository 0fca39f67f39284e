import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { io as connect } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser, revokeNode, systemActor } from "@berth/api/services";
import { AGENT_NAMESPACE } from "@berth/protocol";
import { commandNode } from "../apps/portal/src/server/socket/command-node";
import { spawnAgent, type AgentProcess } from "./agent-process";
import { createTestDatabase, type TestDatabase } from "./db";
import {
  connectBrowser,
  enrollTestNode,
  sessionCookie,
  startTestPortal,
  waitFor,
  watchNodeStatus,
  type TestPortal,
} from "./portal";

let db: TestDatabase;
let portal: TestPortal;
const dir = mkdtempSync(join(tmpdir(), "berth-link-"));
const agents: AgentProcess[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  portal = await startTestPortal({ databaseUrl: db.url });
});
afterAll(async () => {
  for (const a of agents) a.child.kill("SIGKILL");
  await portal?.close();
  await db?.drop();
});

const enrolledNode = (name: string) =>
  enrollTestNode({ prisma: db.prisma, portalUrl: portal.url, name, dir });

function runAgent(configFile: string, env: Record<string, string> = {}): AgentProcess {
  const agent = spawnAgent(["run"], {
    BERTH_AGENT_CONFIG: configFile,
    BERTH_AGENT_DATA_DIR: join(dir, "data"),
    BERTH_AGENT_HEARTBEAT_MS: "1000",
    ...env,
  });
  agents.push(agent);
  return agent;
}

const nodeStatus = (nodeId: string) =>
  db.prisma.node.findUniqueOrThrow({ where: { id: nodeId } }).then((n) => n.status);

describe("agent link", () => {
  it("goes online → offline → online when the agent process is killed and restarted, live for admins", async () => {
    const { nodeId, configFile } = await enrolledNode("life");
    const { seen, browser } = await watchNodeStatus(portal, db.prisma, "admin@test");
    const saw = (status: string) => seen.find((e) => e.id === nodeId && e.status === status);

    const first = runAgent(configFile);
    await waitFor(() => saw("online"), { what: "online event" });
    const node = await db.prisma.node.findUniqueOrThrow({ where: { id: nodeId } });
    expect(node.status).toBe("online");
    expect(node.agentVersion).toMatch(/^\d+\.\d+\.\d+/);
    expect(node.drivers).toContain("process");
    expect(node.memoryMb).toBeGreaterThan(0);

    const killedAt = Date.now();
    first.child.kill("SIGKILL");
    await waitFor(() => saw("offline"), { what: "offline event" });
    expect(Date.now() - killedAt).toBeLessThan(10_000);
    expect(await nodeStatus(nodeId)).toBe("offline");

    seen.length = 0;
    runAgent(configFile);
    await waitFor(() => saw("online"), { what: "online again" });
    expect(await nodeStatus(nodeId)).toBe("online");

    const pong = await commandNode(portal.agents, nodeId, "node:ping", { sentAt: Date.now() });
    expect(pong.ok).toBe(true);
    browser.close();
  });

  it("answers commands to an offline node with NODE_OFFLINE", async () => {
    const { nodeId } = await enrolledNode("quiet");
    const result = await commandNode(portal.agents, nodeId, "node:ping", { sentAt: Date.now() });
    expect(result).toEqual({
      ok: false,
      error: { code: "NODE_OFFLINE", message: "The node is offline." },
    });
  });

  it("refuses a wrong credential, and the agent stops with the reason", async () => {
    const { configFile } = await enrolledNode("forged");
    const config = JSON.parse(readFileSync(configFile, "utf8"));
    writeFileSync(configFile, JSON.stringify({ ...config, credential: "z".repeat(43) }));
    const agent = runAgent(configFile);
    expect(await agent.exited).toBe(78);
    expect(agent.output()).toContain("Wrong node credential: enroll this agent again.");
  });

  it("disconnects a revoked node's agent and refuses it from then on", async () => {
    const { nodeId, configFile } = await enrolledNode("revoked");
    const agent = runAgent(configFile);
    await waitFor(async () => (await nodeStatus(nodeId)) === "online" || undefined, {
      what: "online",
    });
    await revokeNode({ prisma: db.prisma, nodeId, actor: systemActor });
    portal.runtime.events.nodeRevoked(nodeId);
    expect(await agent.exited).toBe(78);
    expect(agent.output()).toContain("This node has been revoked by an administrator.");
    expect(await nodeStatus(nodeId)).toBe("offline");
  });

  it("keeps one link per node: a second agent with the same credential replaces the first, which stops", async () => {
    const { nodeId, configFile } = await enrolledNode("twin");
    const first = runAgent(configFile);
    await waitFor(async () => (await nodeStatus(nodeId)) === "online" || undefined, {
      what: "first online",
    });
    const second = runAgent(configFile);
    expect(await first.exited).toBe(78);
    expect(first.output()).toContain(
      "Another agent connected with this node's credential and replaced this one.",
    );
    expect(second.child.exitCode).toBeNull();
    const pong = await commandNode(portal.agents, nodeId, "node:ping", { sentAt: Date.now() });
    expect(pong.ok).toBe(true);
    expect(await nodeStatus(nodeId)).toBe("online");
  });

  it("refuses an agent speaking another protocol version", async () => {
    const { nodeId, configFile } = await enrolledNode("old");
    const { credential } = JSON.parse(readFileSync(configFile, "utf8"));
    const socket = connect(`${portal.url}${AGENT_NAMESPACE}`, {
      auth: { nodeId, credential, protocolVersion: 999 },
      transports: ["websocket"],
      reconnection: false,
    });
    const err = await new Promise<Error & { data?: { code: string } }>((res) =>
      socket.once("connect_error", res),
    );
    expect(err.data?.code).toBe("PROTOCOL_MISMATCH");
    expect(err.message).toContain("Protocol version 999 is not supported");
    socket.close();
  });
});

describe("browser link", () => {
  it("refuses a socket without a session", async () => {
    const socket = connectBrowser(portal.url);
    const err = await new Promise<Error>((res) => socket.once("connect_error", res));
    expect(err.message).toBe("Please sign in.");
    socket.close();
  });

  it("refuses a forged session cookie", async () => {
    const socket = connectBrowser(
      portal.url,
      await sessionCookie("another-secret-another-secret-xx", {
        id: "u",
        email: "e",
        role: "admin",
      }),
    );
    const err = await new Promise<Error>((res) => socket.once("connect_error", res));
    expect(err.message).toBe("Please sign in.");
    socket.close();
  });

  it("does not send node status to non-admins", async () => {
    const user = await createUser({
      db: db.prisma,
      email: "user@test",
      password: "password1",
      role: "user",
    });
    const socket = connectBrowser(
      portal.url,
      await sessionCookie(portal.secret, { ...user, role: "user" }),
    );
    let received = 0;
    socket.on("node:status", () => received++);
    await waitFor(() => socket.connected || undefined, { what: "user socket" });
    const { nodeId } = await enrolledNode("hidden");
    portal.runtime.events.nodeChanged(nodeId);
    // An admin socket connected at the same time receives it; the user's does not.
    const admin = await createUser({
      db: db.prisma,
      email: "admin2@test",
      password: "password1",
      role: "admin",
    });
    const adminSocket = connectBrowser(
      portal.url,
      await sessionCookie(portal.secret, { ...admin, role: "admin" }),
    );
    const adminGot = new Promise((res) => adminSocket.on("node:status", res));
    await waitFor(() => adminSocket.connected || undefined, { what: "admin socket" });
    portal.runtime.events.nodeChanged(nodeId);
    await adminGot;
    expect(received).toBe(0);
    socket.close();
    adminSocket.close();
  });
});

describe("portal restart", () => {
  it("the agent reconnects with backoff and says hello again", async () => {
    const { nodeId, configFile } = await enrolledNode("patient");
    const first = await startTestPortal({ databaseUrl: db.url });
    // The agent's stored portal URL points at the first portal; the environment overrides it.
    const agent = runAgent(configFile, { BERTH_PORTAL_URL: first.url });
    await waitFor(async () => (await nodeStatus(nodeId)) === "online" || undefined, {
      what: "online",
    });

    await first.close();
    await waitFor(async () => (await nodeStatus(nodeId)) === "offline" || undefined, {
      what: "offline",
    });
    const second = await startTestPortal({ databaseUrl: db.url, port: first.port });
    try {
      await waitFor(async () => (await nodeStatus(nodeId)) === "online" || undefined, {
        what: "online after the portal came back",
        timeoutMs: 20_000,
      });
      // The agent logs the second ack just after the portal stored "online": wait for the line.
      await waitFor(
        () => agent.output().match(/"msg":"hello acknowledged"/g)?.length === 2 || undefined,
        {
          what: "second hello acknowledged",
        },
      );
      expect(agent.child.exitCode).toBeNull();
    } finally {
      await second.close();
    }
  });
});
