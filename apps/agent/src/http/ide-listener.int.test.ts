// The listener in front of a real upstream (HTTP and WebSocket on port 0, standing in for
// code-server): what reaches code-server and what does not, a large body streamed as it comes,
// a WebSocket both ways, either side's close reaching the other, and every refusal, for plain
// requests and upgrades alike.
import { createHash } from "node:crypto";
import {
  createServer,
  request,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";
import { NODE_GRANT_HEADER } from "@berth/protocol";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket, { WebSocketServer } from "ws";
import { startIdeListener, type IdeListener } from "./ide-listener";
import type { IdeUpstream } from "./ide-upstreams";
import { signTestGrant, testGrantKey } from "./test-grants";

const NODE = "node-a";
const key = testGrantKey();
let grantKey: string | null = key;
const BIG = 20 * 2 ** 20;
const CHUNK = 64 * 2 ** 10;

interface Seen {
  url: string;
  headers: IncomingHttpHeaders;
}
const seen: Seen[] = [];
/** Upstream responses held open by the test, by path. */
const held = new Map<string, ServerResponse>();
const upstreamClosed = new Map<string, Promise<void>>();
/** Chunks of the big body sent before the upstream waits for the test. */
const HELD_AFTER = 16;
let releaseBig: () => void = () => {};
let bigHeld = false;

let upstream: Server;
let sockets: WebSocketServer;
let refusedPort = 0;
let listener: IdeListener;

function chunkOf(index: number): Buffer {
  return Buffer.alloc(CHUNK, index % 251);
}

function onRequest(req: IncomingMessage, res: ServerResponse) {
  seen.push({ url: req.url!, headers: req.headers });
  const path = new URL(req.url!, "http://x").pathname;
  upstreamClosed.set(path, new Promise((resolve) => res.once("close", () => resolve())));
  if (path === "/teapot") {
    res
      .writeHead(418, { "content-type": "text/plain", "x-upstream": "yes" })
      .end("short and stout");
  } else if (path === "/big") {
    // The first MiB, then the rest only once the test has received it: a proxy that buffered
    // the body would never pass that part on.
    res.writeHead(200, { "content-type": "application/octet-stream" });
    let index = 0;
    let released = false;
    const pump = () => {
      while (index < BIG / CHUNK) {
        if (index === HELD_AFTER && !released) {
          released = true;
          bigHeld = true;
          void new Promise<void>((resolve) => (releaseBig = resolve)).then(pump);
          return;
        }
        if (!res.write(chunkOf(index++))) {
          res.once("drain", pump);
          return;
        }
      }
      res.end();
    };
    pump();
  } else if (path === "/hold") {
    res.writeHead(200, { "content-type": "text/plain" });
    res.write("first part\n");
    held.set(path, res);
  } else {
    res.writeHead(200, { "content-type": "text/plain" }).end(`upstream saw ${req.url}`);
  }
}

beforeAll(async () => {
  upstream = createServer(onRequest);
  sockets = new WebSocketServer({ server: upstream });
  sockets.on("connection", (socket, req) => {
    seen.push({ url: req.url!, headers: req.headers });
    socket.send("hello from upstream");
    socket.on("message", (data) => socket.send(`echo:${String(data)}`));
  });
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  const upstreamPort = (upstream.address() as AddressInfo).port;

  const gone = createServer();
  await new Promise<void>((resolve) => gone.listen(0, "127.0.0.1", resolve));
  refusedPort = (gone.address() as AddressInfo).port;
  await new Promise((resolve) => gone.close(resolve));

  const upstreams: Record<string, IdeUpstream> = {
    srv: { ok: true, host: "127.0.0.1", port: upstreamPort },
    refused: { ok: true, host: "127.0.0.1", port: refusedPort },
    stopped: { ok: false, status: 409, message: "code-server is stopped" },
  };
  listener = await startIdeListener({
    listen: { host: "127.0.0.1", port: 0 },
    nodeId: NODE,
    grantKey: () => grantKey,
    upstreams: {
      resolve: async (serverId) =>
        upstreams[serverId] ?? {
          ok: false,
          status: 404,
          message: `Server ${serverId} is not on this node`,
        },
    },
    log: pino({ enabled: false }),
  });
});

afterAll(async () => {
  await listener?.close();
  for (const client of sockets?.clients ?? []) client.terminate();
  sockets?.close();
  upstream?.closeAllConnections();
  await new Promise((resolve) => upstream?.close(resolve));
});

const grant = (serverId = "srv") => signTestGrant({ key, nodeId: NODE, serverId });
const HOST = "portal.test:8443";
const ORIGIN = "https://portal.test:8443";

async function headers(serverId = "srv", extra: Record<string, string> = {}) {
  return { host: HOST, [NODE_GRANT_HEADER]: await grant(serverId), ...extra };
}

function get(path: string, head: Record<string, string>) {
  return new Promise<IncomingMessage>((resolve, reject) => {
    const req = request(`${listener.url}${path}`, { headers: head }, resolve);
    req.on("error", reject);
    req.end();
  });
}

async function text(res: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString();
}

function connect(path: string, head: Record<string, string>) {
  return new WebSocket(`${listener.url.replace("http", "ws")}${path}`, { headers: head });
}

/** The status a refused upgrade is answered with, and that the connection is closed after it. */
function refusedUpgrade(path: string, head: Record<string, string>) {
  return new Promise<{ status: number; body: unknown }>((resolve, reject) => {
    const ws = connect(path, head);
    ws.on("open", () => reject(new Error("the upgrade went through")));
    ws.on("unexpected-response", (_req, res) => {
      void text(res).then((body) => {
        res.socket.once("close", () =>
          resolve({ status: res.statusCode!, body: JSON.parse(body) as unknown }),
        );
      }, reject);
    });
    ws.on("error", () => undefined);
  });
}

function messages(ws: WebSocket) {
  const queue: string[] = [];
  const waiting: ((message: string) => void)[] = [];
  ws.on("message", (data) => {
    const message = String(data);
    const next = waiting.shift();
    if (next) next(message);
    else queue.push(message);
  });
  return () =>
    new Promise<string>((resolve) => {
      const message = queue.shift();
      if (message !== undefined) resolve(message);
      else waiting.push(resolve);
    });
}

const closed = (ws: WebSocket) =>
  new Promise<void>((resolve) => {
    if (ws.readyState === WebSocket.CLOSED) resolve();
    else ws.once("close", () => resolve());
  });

describe("the IDE listener forwarding to code-server", () => {
  it("passes status, headers and body, with the path rewritten and the query kept", async () => {
    seen.length = 0;
    const res = await get("/proxy/srv/teapot?a=1&b=%2F", await headers());
    expect(res.statusCode).toBe(418);
    expect(res.headers["x-upstream"]).toBe("yes");
    expect(await text(res)).toBe("short and stout");
    expect(seen.map((s) => s.url)).toEqual(["/teapot?a=1&b=%2F"]);
  });

  it("keeps the Host header as it came and never passes the grant on", async () => {
    seen.length = 0;
    const res = await get("/proxy/srv", await headers("srv", { origin: ORIGIN }));
    expect(await text(res)).toBe("upstream saw /");
    const [request] = seen;
    expect(request!.headers.host).toBe(HOST);
    expect(request!.headers.origin).toBe(ORIGIN);
    expect(request!.headers[NODE_GRANT_HEADER]).toBeUndefined();
    expect(request!.headers["x-forwarded-for"]).toBeUndefined();
  });

  it("streams a 20 MiB body as it comes", async () => {
    const res = await get("/proxy/srv/big", await headers());
    expect(res.statusCode).toBe(200);
    const hash = createHash("sha256");
    let received = 0;
    res.on("data", (chunk: Buffer) => {
      hash.update(chunk);
      received += chunk.length;
    });
    const ended = new Promise((resolve) => res.once("end", resolve));
    const deadline = Date.now() + 10_000;
    while (!(bigHeld && received === HELD_AFTER * CHUNK)) {
      if (Date.now() > deadline) throw new Error(`only ${received} bytes came while held`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    releaseBig();
    await ended;
    expect(received).toBe(BIG);
    const expected = createHash("sha256");
    for (let i = 0; i < BIG / CHUNK; i++) expected.update(chunkOf(i));
    expect(hash.digest("hex")).toBe(expected.digest("hex"));
  });

  it("closes the upstream request when the client leaves mid-answer", async () => {
    const res = await get("/proxy/srv/hold", await headers());
    await new Promise((resolve) => res.once("data", resolve));
    res.destroy();
    await upstreamClosed.get("/hold");
    held.delete("/hold");
  });

  it("cuts the client's response when the upstream dies mid-answer", async () => {
    const res = await get("/proxy/srv/hold", await headers());
    await new Promise((resolve) => res.once("data", resolve));
    const cut = new Promise<boolean>((resolve) => {
      res.on("close", () => resolve(!res.complete));
      res.resume();
    });
    held.get("/hold")!.socket!.destroy();
    held.delete("/hold");
    expect(await cut).toBe(true);
  });

  it("carries a WebSocket both ways, Host and Origin as they came, without the grant", async () => {
    seen.length = 0;
    const ws = connect(
      "/proxy/srv/stable/socket?reconnection=false",
      await headers("srv", { origin: ORIGIN }),
    );
    const next = messages(ws);
    expect(await next()).toBe("hello from upstream");
    ws.send("ping");
    expect(await next()).toBe("echo:ping");
    const [upgrade] = seen;
    expect(upgrade!.url).toBe("/stable/socket?reconnection=false");
    expect(upgrade!.headers.host).toBe(HOST);
    expect(upgrade!.headers.origin).toBe(ORIGIN);
    expect(upgrade!.headers[NODE_GRANT_HEADER]).toBeUndefined();
    ws.close();
    await closed(ws);
  });

  it("closes the upstream WebSocket when the client goes, and the client's when the upstream goes", async () => {
    const serverSide = () =>
      new Promise<WebSocket>((resolve) => sockets.once("connection", (socket) => resolve(socket)));

    let accepted = serverSide();
    const client = connect("/proxy/srv/a", await headers());
    let upstreamSocket = await accepted;
    const upstreamGone = closed(upstreamSocket);
    await new Promise((resolve) => client.once("open", resolve));
    client.terminate();
    await upstreamGone;

    accepted = serverSide();
    const second = connect("/proxy/srv/b", await headers());
    upstreamSocket = await accepted;
    await new Promise((resolve) => second.once("open", resolve));
    const clientGone = closed(second);
    upstreamSocket.terminate();
    await clientGone;
  });
});

describe("the IDE listener's refusals", () => {
  const plain = async (path: string, head: Record<string, string>) => {
    const res = await get(path, head);
    return { status: res.statusCode, body: JSON.parse(await text(res)) as unknown };
  };
  const both = async (path: string, head: () => Promise<Record<string, string>>) => {
    const http = await plain(path, await head());
    const upgrade = await refusedUpgrade(path, await head());
    expect(upgrade).toEqual(http);
    return http;
  };

  it("404 for other paths", async () => {
    expect(await both("/elsewhere", () => headers())).toEqual({
      status: 404,
      body: { code: "NOT_FOUND", message: "No such path" },
    });
  });

  it("401 without a grant or with another server's", async () => {
    expect(await both("/proxy/srv/", async () => ({ host: HOST }))).toMatchObject({
      status: 401,
      body: { code: "UNAUTHORIZED" },
    });
    expect(await both("/proxy/srv/", () => headers("stopped"))).toEqual({
      status: 401,
      body: { code: "UNAUTHORIZED", message: "Grant refused: wrong server" },
    });
  });

  it("503 before the portal handed over the grant key", async () => {
    grantKey = null;
    try {
      expect(await both("/proxy/srv/", () => headers())).toMatchObject({ status: 503 });
    } finally {
      grantKey = key;
    }
  });

  it("404 for a server not on this node, 409 when its code-server is not up", async () => {
    expect(await both("/proxy/other/", () => headers("other"))).toEqual({
      status: 404,
      body: { code: "NOT_FOUND", message: "Server other is not on this node" },
    });
    expect(await both("/proxy/stopped/", () => headers("stopped"))).toEqual({
      status: 409,
      body: { code: "CONFLICT", message: "code-server is stopped" },
    });
  });

  it("502 when code-server refuses the connection", async () => {
    expect(await both("/proxy/refused/", () => headers("refused"))).toEqual({
      status: 502,
      body: { code: "INTERNAL", message: "code-server did not answer" },
    });
  });
});
