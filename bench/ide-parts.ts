// The IDE bench's other processes, so no two hops share an event loop: `upstream` (what
// code-server would be: a static asset and a WebSocket echo), `node` (the agent's real link and
// HTTP listener) and `load` (the client, measuring both paths the same way). Each talks to the
// bench over IPC.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import WebSocket, { WebSocketServer } from "ws";
import { linkIdeNode } from "../test/ide-node";

export const ASSET_BYTES = 512 * 1024;

export type LoadRequest =
  | {
      type: "http";
      target: string;
      headers: Record<string, string>;
      requests: number;
      concurrency: number;
    }
  | {
      type: "ws";
      proxied: { url: string; headers: Record<string, string> };
      direct: { url: string; headers: Record<string, string> };
      warmup: number;
      samples: number;
    };
export type LoadAnswer =
  { type: "http"; bytesPerSecond: number } | { type: "ws"; proxied: number[]; direct: number[] };

const send = (message: unknown) => process.send!(message);

async function upstream(): Promise<void> {
  const asset = Buffer.alloc(ASSET_BYTES, "x");
  const server = http.createServer((_req, res) => {
    res.writeHead(200, {
      "content-type": "application/javascript",
      "content-length": asset.length,
    });
    res.end(asset);
  });
  const echo = new WebSocketServer({ server });
  echo.on("connection", (socket) => socket.on("message", (data) => socket.send(data)));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  send({ port: (server.address() as AddressInfo).port });
}

async function node(): Promise<void> {
  /** Server id → the port of its upstream. */
  const ports = JSON.parse(process.env.BENCH_UPSTREAMS!) as Record<string, number>;
  await linkIdeNode({
    portalUrl: process.env.BENCH_PORTAL_URL!,
    nodeId: process.env.BENCH_NODE_ID!,
    credential: process.env.BENCH_NODE_CREDENTIAL!,
    upstreams: {
      resolve: async (serverId) => {
        const port = ports[serverId];
        return port
          ? { ok: true, host: "127.0.0.1", port }
          : { ok: false, status: 404, message: "No such server" };
      },
    },
  });
  send({ ready: true });
}

function load(): void {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
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

  async function throughput(request: Extract<LoadRequest, { type: "http" }>): Promise<number> {
    let next = 0;
    let bytes = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: request.concurrency }, async () => {
        while (next++ < request.requests) {
          // Not `bytes += await …`: that reads `bytes` before the await and loses the other
          // workers' additions.
          const got = await get(request.target, request.headers);
          bytes += got;
        }
      }),
    );
    return bytes / ((performance.now() - started) / 1000);
  }

  const open = ({ url, headers }: { url: string; headers: Record<string, string> }) =>
    new Promise<WebSocket>((resolve, reject) => {
      const socket = new WebSocket(url, { headers });
      socket.once("open", () => resolve(socket));
      socket.once("error", reject);
    });
  const roundTrip = (socket: WebSocket) =>
    new Promise<number>((resolve) => {
      const started = performance.now();
      socket.once("message", () => resolve(performance.now() - started));
      socket.send("ping");
    });

  /** One message in flight on each socket, the two taking turns. */
  async function echo(request: Extract<LoadRequest, { type: "ws" }>) {
    const proxiedSocket = await open(request.proxied);
    const directSocket = await open(request.direct);
    for (let i = 0; i < request.warmup; i++) {
      await roundTrip(proxiedSocket);
      await roundTrip(directSocket);
    }
    const proxied: number[] = [];
    const direct: number[] = [];
    for (let i = 0; i < request.samples; i++) {
      proxied.push(await roundTrip(proxiedSocket));
      direct.push(await roundTrip(directSocket));
    }
    proxiedSocket.close();
    directSocket.close();
    return { proxied, direct };
  }

  process.on("message", (request: LoadRequest) => {
    const answer: Promise<LoadAnswer> =
      request.type === "http"
        ? throughput(request).then((bytesPerSecond) => ({ type: "http", bytesPerSecond }))
        : echo(request).then((samples) => ({ type: "ws", ...samples }));
    answer.then(send, (error: unknown) => send({ error: String(error) }));
  });
  send({ ready: true });
}

const role = process.argv[2];
if (role === "upstream") await upstream();
else if (role === "node") await node();
else if (role === "load") load();
