// The agent's side of the server commands over a real Socket.IO link: a bare portal stand-in on
// port 0 answers the hello and the inventory and sends provision/power/delete.
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  AGENT_NAMESPACE,
  type Inventory,
  type ServerProgressEvent,
  type ServerStateEvent,
} from "@berth/protocol";
import pino from "pino";
import { Server, type Socket } from "socket.io";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startAgent, type RunningAgent } from "../agent";
import { AgentConfig } from "../config";
import { echoServerSpec } from "./test-spec";

const spec = echoServerSpec("linked1");

let io: Server;
let url = "";
let dataDir = "";
const agents: RunningAgent[] = [];
const inventories: Inventory[] = [];
const states: ServerStateEvent[] = [];
const progress: ServerProgressEvent[] = [];
let agentSocket: Socket | null = null;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), "berth-server-commands-"));
  io = new Server();
  io.of(AGENT_NAMESPACE).on("connection", (socket) => {
    agentSocket = socket;
    socket.on("agent:hello", (_hello, ack) => ack({ ok: true, data: { nodeId: "n1", name: "n" } }));
    socket.on("agent:heartbeat", (_beat, ack) => ack({ ok: true, data: { receivedAt: 0 } }));
    socket.on("agent:inventory", (inventory: Inventory, ack) => {
      inventories.push(inventory);
      ack({ ok: true, data: { reconciled: inventory.servers.length } });
    });
    socket.on("server:state", (e: ServerStateEvent) => states.push(e));
    socket.on("server:progress", (e: ServerProgressEvent) => progress.push(e));
  });
  const http = createServer();
  io.attach(http);
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const port = (http.address() as AddressInfo).port;
  url = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  for (const agent of agents) await agent.stop();
  await io?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

function runAgent(): RunningAgent {
  const config = AgentConfig.parse({
    portalUrl: url,
    nodeId: "n1",
    credential: "c".repeat(43),
    dataDir,
    driver: "process",
    heartbeatMs: 60_000,
  });
  const agent = startAgent({ config, log: pino({ enabled: false }) });
  agents.push(agent);
  return agent;
}

async function until<T>(what: string, probe: () => T | undefined) {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const command = (event: string, payload: unknown) =>
  agentSocket!.timeout(10_000).emitWithAck(event, payload);

it("sends the inventory on connect, runs server commands and reports state and progress", async () => {
  const agent = runAgent();
  await agent.ready;
  await until("first inventory", () => inventories[0]);
  expect(inventories[0]).toEqual({ servers: [], unknown: [] });

  const provisioned = await command("server:provision", { spec, start: true });
  expect(provisioned).toMatchObject({ ok: true, data: { serverId: "linked1" } });
  await until("ready", () => progress.find((p) => p.stage === "ready"));
  expect(progress.map((p) => p.stage)).toEqual([
    "queued",
    "creating",
    "installing",
    "starting",
    "ready",
  ]);
  expect(states.at(-1)).toMatchObject({ serverId: "linked1", state: "running" });

  expect(await command("server:power", { serverId: "linked1", action: "stop" })).toMatchObject({
    ok: true,
    data: { state: "offline" },
  });
  expect(await command("server:power", { serverId: "ghost", action: "start" })).toMatchObject({
    ok: false,
    error: { code: "NOT_FOUND" },
  });
  expect(await command("server:power", { serverId: "Bad Id!", action: "start" })).toMatchObject({
    ok: false,
    error: { code: "BAD_REQUEST" },
  });

  // Every connect re-sends the inventory.
  agentSocket!.disconnect();
  await until("inventory after reconnect", () => inventories[1]);
  expect(inventories[1]!.servers).toEqual([
    expect.objectContaining({ serverId: "linked1", state: "offline" }),
  ]);

  expect(await command("server:delete", { serverId: "linked1" })).toEqual({
    ok: true,
    data: { deleted: true },
  });
  expect(await command("server:delete", { serverId: "linked1" })).toEqual({
    ok: true,
    data: { deleted: false },
  });
});
