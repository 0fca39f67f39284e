// Test support: a bare portal stand-in on port 0 for an agent's link (the /agent namespace with
// real Socket.IO), and an agent started against it. It answers the hello (handing over a grant
// key), the heartbeat and the inventory, records the hellos and what the agent reports (states,
// progress, crashes, stats, console output), and sends commands.
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  AGENT_NAMESPACE,
  type AgentHello,
  type ConsoleFrame,
  type ConsoleOutput,
  type ServerCrashEvent,
  type ServerProgressEvent,
  type ServerStateEvent,
  type ServerStatsEvent,
  type ServerTerminals,
} from "@berth/protocol";
import pino from "pino";
import { Server, type Socket } from "socket.io";
import { startAgent, type RunningAgent } from "../agent";
import { AgentConfig, type DriverSetting } from "../config";

export interface TestPortal {
  url: string;
  /** Every hello received. */
  hellos: AgentHello[];
  /** The grant key handed to the agent in the hello's answer. */
  grantKey: string;
  /** Whether an agent is connected now. */
  readonly connected: boolean;
  outputs: ConsoleOutput[];
  states: ServerStateEvent[];
  progress: ServerProgressEvent[];
  terminals: ServerTerminals[];
  /** Every server:crash received, resends included. */
  crashes: ServerCrashEvent[];
  stats: ServerStatsEvent[];
  /** Whether to acknowledge server:crash (true unless set); unacknowledged reports are resent. */
  ackCrashes(ack: boolean): void;
  /** Drops the agent's connection from the portal's side (the agent reconnects). */
  disconnectAgent(): void;
  /** Sends a command to the connected agent and returns its answer. */
  command<T = unknown>(event: string, payload: unknown): Promise<T>;
  /** Sends an event that has no answer. */
  emit(event: string, payload: unknown): void;
  /** Decides when each console:output is acked (at once unless set). */
  ackWith(policy: ((output: ConsoleOutput, ack: () => void) => void) | null): void;
  /** The frames received for one console (of one run, when given), in order. */
  frames(serverId: string, terminalId?: string | null, runId?: string): ConsoleFrame[];
  text(serverId: string, terminalId?: string | null, runId?: string): string;
  close(): Promise<void>;
}

export async function startTestPortal(): Promise<TestPortal> {
  const io = new Server();
  const outputs: ConsoleOutput[] = [];
  const states: ServerStateEvent[] = [];
  const progress: ServerProgressEvent[] = [];
  const terminals: ServerTerminals[] = [];
  const crashes: ServerCrashEvent[] = [];
  const stats: ServerStatsEvent[] = [];
  const hellos: AgentHello[] = [];
  const grantKey = randomBytes(32).toString("base64url");
  let ackCrashes = true;
  let agent: Socket | null = null;
  let policy: ((output: ConsoleOutput, ack: () => void) => void) | null = null;
  io.of(AGENT_NAMESPACE).on("connection", (socket) => {
    agent = socket;
    socket.on("agent:hello", (hello: AgentHello, ack) => {
      hellos.push(hello);
      ack({ ok: true, data: { nodeId: "n1", name: "n", grantKey } });
    });
    socket.on("agent:heartbeat", (_beat, ack) => ack({ ok: true, data: { receivedAt: 0 } }));
    socket.on("agent:inventory", (inventory: { servers: unknown[] }, ack) =>
      ack({ ok: true, data: { reconciled: inventory.servers.length } }),
    );
    socket.on("server:state", (event: ServerStateEvent) => states.push(event));
    socket.on("server:progress", (event: ServerProgressEvent) => progress.push(event));
    socket.on("terminal:update", (update: ServerTerminals) => terminals.push(update));
    socket.on("server:crash", (event: ServerCrashEvent, ack: (r: unknown) => void) => {
      crashes.push(event);
      if (ackCrashes) ack({ ok: true, data: { recorded: true } });
    });
    socket.on("server:stats", (event: ServerStatsEvent) => stats.push(event));
    socket.on("console:output", (output: ConsoleOutput, ack: (r: unknown) => void) => {
      outputs.push(output);
      const done = () => ack({ ok: true, data: {} });
      if (policy) policy(output, done);
      else done();
    });
  });
  const http = createServer();
  io.attach(http);
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const { port } = http.address() as AddressInfo;

  const frames = (serverId: string, terminalId: string | null = null, runId?: string) =>
    outputs
      .filter(
        (o) =>
          o.serverId === serverId &&
          o.terminalId === terminalId &&
          (runId === undefined || o.runId === runId),
      )
      .flatMap((o) => o.frames);
  return {
    url: `http://127.0.0.1:${port}`,
    hellos,
    grantKey,
    get connected() {
      return agent?.connected ?? false;
    },
    outputs,
    states,
    progress,
    terminals,
    crashes,
    stats,
    ackCrashes(ack) {
      ackCrashes = ack;
    },
    disconnectAgent() {
      agent?.disconnect(true);
    },
    async command<T>(event: string, payload: unknown): Promise<T> {
      if (!agent) throw new Error("no agent connected");
      return (await agent.timeout(30_000).emitWithAck(event, payload)) as T;
    },
    emit(event, payload) {
      if (!agent) throw new Error("no agent connected");
      agent.emit(event, payload);
    },
    ackWith(next) {
      policy = next;
    },
    frames,
    text: (serverId, terminalId = null, runId) =>
      frames(serverId, terminalId, runId)
        .map((f) => f.data)
        .join(""),
    close: () => io.close(),
  };
}

export function startTestAgent({
  portalUrl,
  dataDir,
  driver,
  labels = {},
  cacheDir,
}: {
  portalUrl: string;
  dataDir: string;
  driver: DriverSetting;
  labels?: Record<string, string>;
  cacheDir?: string;
}): RunningAgent {
  const config = AgentConfig.parse({
    portalUrl,
    nodeId: "n1",
    credential: "c".repeat(43),
    dataDir,
    driver,
    heartbeatMs: 60_000,
    containerLabels: labels,
    ...(cacheDir ? { cacheDir } : {}),
  });
  return startAgent({ config, log: pino({ enabled: false }) });
}

/** A stand-in portal and a real agent linked to it, with a fresh data folder. */
export interface LinkedAgent {
  portal: TestPortal;
  agent: RunningAgent;
  dataDir: string;
  /** Stops the agent and the portal and removes the data folder. */
  close(): Promise<void>;
}

export async function startLinkedAgent(
  dataDirPrefix: string,
  options: Omit<Parameters<typeof startTestAgent>[0], "portalUrl" | "dataDir">,
): Promise<LinkedAgent> {
  const dataDir = await mkdtemp(path.join(tmpdir(), dataDirPrefix));
  const portal = await startTestPortal();
  const agent = startTestAgent({ portalUrl: portal.url, dataDir, ...options });
  await agent.ready;
  await until("the agent's link", () => (portal.connected ? true : undefined));
  return {
    portal,
    agent,
    dataDir,
    async close() {
      await agent.stop();
      await portal.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Polls `probe` until it returns something other than undefined. */
export async function until<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
