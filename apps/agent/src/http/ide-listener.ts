// The agent's HTTP listener: the last hop from a browser to a dev server's code-server. Only
// `/proxy/<serverId>/…` with the portal's grant gets through; requests and WebSocket upgrades are
// admitted alike, then forwarded (see ide-proxy.ts).
import { createServer, STATUS_CODES, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { NODE_GRANT_HEADER, type ErrorCode, type WireError } from "@berth/protocol";
import type { Logger } from "pino";
import { createIdeProxy, type IdeTarget } from "./ide-proxy";
import type { IdeUpstreams } from "./ide-upstreams";
import { httpUrlOf, type ListenAddress } from "./listen-address";
import { verifyNodeGrant } from "./node-grant";
import { parseProxyPath } from "./proxy-path";

export interface IdeListenerOptions {
  listen: ListenAddress;
  /** The URL the portal uses to reach this listener; default `http://<listen host>:<bound port>`. */
  publicUrl?: string | undefined;
  nodeId: string;
  /** The key the portal's grants are signed with; null until the portal has answered a hello. */
  grantKey: () => string | null;
  upstreams: IdeUpstreams;
  log: Logger;
  now?: () => number;
}

export interface IdeListener {
  /** What the hello tells the portal. */
  url: string;
  /** Where it is bound. */
  address: ListenAddress;
  /** Stops listening and ends every connection, proxied WebSockets included. */
  close(): Promise<void>;
}

type Refusal = { status: 401 | 404 | 409 | 500 | 502 | 503 } & WireError;
type Admission = { ok: true; target: IdeTarget } | ({ ok: false } & Refusal);

const refuse = (status: Refusal["status"], code: ErrorCode, message: string): Admission => ({
  ok: false,
  status,
  code,
  message,
});

/** Long enough for a slow client's headers; a request's body and a WebSocket may last for hours. */
const HEADERS_TIMEOUT_MS = 30_000;

export async function startIdeListener(options: IdeListenerOptions): Promise<IdeListener> {
  const { log, upstreams } = options;
  const now = options.now ?? Date.now;
  const upgraded = new Set<Duplex>();

  /** Checks path, grant and upstream; on success the request is rewritten for code-server. */
  async function admit(req: IncomingMessage): Promise<Admission> {
    const route = parseProxyPath(req.url ?? "/");
    if (!route) return refuse(404, "NOT_FOUND", "No such path");
    const key = options.grantKey();
    if (!key) {
      return refuse(503, "NODE_OFFLINE", "This node has not been introduced to a portal yet");
    }
    const token = req.headers[NODE_GRANT_HEADER];
    if (typeof token !== "string" || token === "") {
      return refuse(401, "UNAUTHORIZED", "A grant is required");
    }
    const grant = await verifyNodeGrant(token, {
      key,
      nodeId: options.nodeId,
      serverId: route.serverId,
      scope: "ide",
      now,
    });
    if (!grant.ok) return refuse(401, "UNAUTHORIZED", `Grant refused: ${grant.reason}`);
    const upstream = await upstreams.resolve(route.serverId);
    if (!upstream.ok) {
      return refuse(
        upstream.status,
        upstream.status === 404 ? "NOT_FOUND" : "CONFLICT",
        upstream.message,
      );
    }
    req.url = route.path;
    delete req.headers[NODE_GRANT_HEADER];
    return { ok: true, target: { host: upstream.host, port: upstream.port } };
  }

  async function admitted(req: IncomingMessage): Promise<Admission> {
    try {
      return await admit(req);
    } catch (error) {
      log.error({ err: error, url: req.url }, "cannot admit a request");
      return refuse(500, "INTERNAL", "Something went wrong");
    }
  }

  const proxy = createIdeProxy({
    log,
    unreachable: (answer, error) => {
      log.warn({ err: error }, "code-server did not answer");
      const refusal = {
        status: 502,
        code: "INTERNAL",
        message: "code-server did not answer",
      } as const;
      if ("res" in answer) sendRefusal(answer.res, refusal);
      else writeRefusal(answer.socket, refusal);
    },
  });

  const server = createServer((req, res) => {
    void admitted(req).then((admission) => {
      if (!admission.ok) sendRefusal(res, admission);
      else if (!res.destroyed) proxy.web(req, res, admission.target);
    });
  });
  server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // The server stops watching an upgraded socket: its errors are ours from here on.
    socket.on("error", (error) => log.debug({ err: error }, "upgraded socket error"));
    upgraded.add(socket);
    socket.once("close", () => upgraded.delete(socket));
    void admitted(req).then((admission) => {
      if (!admission.ok) writeRefusal(socket, admission);
      else if (!socket.destroyed) proxy.upgrade(req, socket, head, admission.target);
    });
  });
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  server.requestTimeout = 0;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.listen.port, options.listen.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const bound = server.address() as AddressInfo;
  const address = { host: options.listen.host, port: bound.port };
  const url = options.publicUrl ?? httpUrlOf(address);
  log.info({ listen: httpUrlOf(address), url }, "HTTP listener up");

  return {
    url,
    address,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      for (const socket of upgraded) socket.destroy();
      proxy.close();
      await closed;
    },
  };
}

function sendRefusal(res: ServerResponse, { status, code, message }: Refusal): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify({ code, message });
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(body),
    "cache-control": "no-store",
  });
  res.end(body);
}

/** A refused upgrade gets a plain HTTP answer on its socket, which is then closed. */
function writeRefusal(socket: Duplex, { status, code, message }: Refusal): void {
  if (socket.destroyed) return;
  const body = JSON.stringify({ code, message });
  socket.end(
    [
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}`,
      "Content-Type: application/json; charset=utf-8",
      `Content-Length: ${Buffer.byteLength(body)}`,
      "Connection: close",
      "",
      body,
    ].join("\r\n"),
  );
  socket.once("finish", () => socket.destroy());
}
