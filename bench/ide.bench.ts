// The IDE proxy's cost: a static asset's HTTP throughput and a WebSocket echo's round trip,
// through the portal's gate and the agent's listener (real servers on loopback, a real session
// cookie from a real IDE link) against the same upstream reached directly, in the same run,
// alternating rounds.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import pino from "pino";
import WebSocket, { WebSocketServer } from "ws";
import { createCaller, createTRPCContext } from "@berth/api";
import { createNode, createUser, enrollNode, systemActor } from "@berth/api/services";
import { startIdeListener } from "../apps/agent/src/http/ide-listener";
import { connectToPortal, type PortalLink } from "../apps/agent/src/link/portal-link";
import { until } from "./agent-node";
import { startBenchPlatform } from "./platform";
import { machine, round, summarize } from "./stats";

const ASSET_BYTES = 512 * 1024;
const CONCURRENCY = 8;

export async function run({ quick }: { quick: boolean }) {
  const platform = await startBenchPlatform("ide");
  const { prisma, portal } = platform;
  const asset = Buffer.alloc(ASSET_BYTES, "x");

  // The upstream: what code-server would be, a static asset and a WebSocket echo.
  const upstream = http.createServer((req, res) => {
    res.writeHead(200, {
      "content-type": "application/javascript",
      "content-length": asset.length,
    });
    res.end(asset);
  });
  const echo = new WebSocketServer({ server: upstream });
  echo.on("connection", (socket) => socket.on("message", (data) => socket.send(data)));
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  const upstreamPort = (upstream.address() as AddressInfo).port;

  const user = await createUser({
    db: prisma,
    email: "bench@ide.test",
    password: "password1",
    role: "user",
  });
  // The node: the agent's real link (hello with the listener's address, heartbeats, the grant
  // key in the hello's answer) and its real HTTP listener, whose upstream is the one above.
  const created = await createNode({
    prisma,
    name: "bench",
    actor: systemActor,
    publicUrl: portal.url,
  });
  const { nodeId, credential } = await enrollNode({ prisma, token: created.enrollmentToken });
  const log = pino({ level: "silent" });
  let link: PortalLink | null = null;
  const listener = await startIdeListener({
    listen: { host: "127.0.0.1", port: 0 },
    nodeId,
    grantKey: () => link?.grantKey ?? null,
    upstreams: { resolve: async () => ({ ok: true, host: "127.0.0.1", port: upstreamPort }) },
    log,
  });
  link = connectToPortal({
    portalUrl: portal.url,
    nodeId,
    credential,
    heartbeatMs: 2_000,
    reconnect: { minDelayMs: 100, maxDelayMs: 1_000 },
    describe: async () => ({
      agentVersion: "bench",
      capabilities: { docker: false, pty: false },
      drivers: [],
      capacity: { memoryMb: 0, cpuCores: 0, diskMb: 0 },
      address: listener.url,
    }),
    log,
    onRefused: (reason) => {
      throw new Error(`agent refused: ${reason.message}`);
    },
  });
  await until(async () => (link?.grantKey ? true : undefined), 10_000, "the agent's hello");
  const server = await prisma.server.create({
    data: {
      name: "bench",
      kind: "dev",
      ownerId: user.id,
      nodeId,
      codeServer: true,
      codeServerState: "running",
    },
  });

  // A real link, redeemed at the gate for the session cookie a browser would hold.
  const caller = createCaller(
    createTRPCContext({ runtime: portal.runtime, sessionUser: user, ip: "127.0.0.1" }),
  );
  const { url } = await caller.ide.createToken({ serverId: server.id });
  // The link names the public URL; the bench's portal listens on a free port.
  const ideLink = new URL(url);
  const redeemed = await fetch(`${portal.url}${ideLink.pathname}${ideLink.search}`, {
    redirect: "manual",
  });
  const cookie = redeemed.headers.get("set-cookie")?.split(";")[0];
  if (redeemed.status !== 302 || !cookie) throw new Error(`link not redeemed: ${redeemed.status}`);

  const viaProxy = `${portal.url}/ide/${server.id}/static/app.js`;
  const direct = `http://127.0.0.1:${upstreamPort}/static/app.js`;
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const get = (target: string, headers: Record<string, string>) =>
    new Promise<number>((resolve, reject) => {
      http
        .get(target, { agent, headers }, (res) => {
          let bytes = 0;
          res.on("data", (chunk: Buffer) => (bytes += chunk.length));
          res.on("end", () =>
            res.statusCode === 200 ? resolve(bytes) : reject(new Error(`HTTP ${res.statusCode}`)),
          );
        })
        .on("error", reject);
    });
  /** Bytes per second over `requests` GETs, `CONCURRENCY` at a time. */
  async function throughput(target: string, headers: Record<string, string>, requests: number) {
    let next = 0;
    let bytes = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next++ < requests) bytes += await get(target, headers);
      }),
    );
    return bytes / ((performance.now() - started) / 1000);
  }

  const proxyHeaders = { cookie };
  const rounds = quick ? 2 : 6;
  const perRound = quick ? 100 : 600;
  await throughput(viaProxy, proxyHeaders, 50);
  await throughput(direct, {}, 50);
  const proxied: number[] = [];
  const straight: number[] = [];
  for (let i = 0; i < rounds; i++) {
    proxied.push(await throughput(viaProxy, proxyHeaders, perRound));
    straight.push(await throughput(direct, {}, perRound));
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;
  const proxiedBps = median(proxied);
  const directBps = median(straight);

  // WebSocket echo: one message in flight on each socket, the two sockets taking turns.
  const open = (target: string, headers: Record<string, string>) =>
    new Promise<WebSocket>((resolve, reject) => {
      const socket = new WebSocket(target, { headers });
      socket.once("open", () => resolve(socket));
      socket.once("error", reject);
    });
  const portalHost = new URL(portal.url).host;
  const proxiedSocket = await open(`ws://${portalHost}/ide/${server.id}/echo`, {
    cookie,
    origin: portal.url,
  });
  const directSocket = await open(`ws://127.0.0.1:${upstreamPort}/echo`, {});
  const roundTrip = (socket: WebSocket) =>
    new Promise<number>((resolve) => {
      const started = performance.now();
      socket.once("message", () => resolve(performance.now() - started));
      socket.send("ping");
    });
  const samples = quick ? 300 : 3000;
  for (let i = 0; i < 200; i++) {
    await roundTrip(proxiedSocket);
    await roundTrip(directSocket);
  }
  const wsProxied: number[] = [];
  const wsDirect: number[] = [];
  for (let i = 0; i < samples; i++) {
    wsProxied.push(await roundTrip(proxiedSocket));
    wsDirect.push(await roundTrip(directSocket));
  }
  const p = summarize(wsProxied);
  const d = summarize(wsDirect);

  proxiedSocket.close();
  directSocket.close();
  agent.destroy();
  link.close();
  await listener.close();
  echo.close();
  await new Promise((resolve) => upstream.close(resolve));
  await platform.close();

  return {
    bench: "ide",
    machine: machine(),
    figures: {
      http_throughput_ratio: round(proxiedBps / directBps),
      http_proxied_mb_s: round(proxiedBps / 1024 ** 2, 1),
      ws_echo_overhead_p50_ms: round(p.p50 - d.p50),
      ws_echo_overhead_p99_ms: round(p.p99 - d.p99),
      ws_echo_proxied_p50_ms: round(p.p50),
    },
    baseline: {
      http_direct_mb_s: round(directBps / 1024 ** 2, 1),
      ws_echo_direct_p50_ms: round(d.p50),
      ws_echo_direct_p99_ms: round(d.p99),
    },
    settings: { asset_bytes: ASSET_BYTES, concurrency: CONCURRENCY, rounds, perRound, samples },
  };
}
