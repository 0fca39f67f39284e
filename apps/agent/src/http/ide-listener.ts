// The agent's HTTP listener, a router over two parts: `/proxy/<serverId>/…`, the last hop from a
// browser to a dev server's code-server (requests and WebSocket upgrades are admitted alike, then
// forwarded, see ide-proxy.ts), and `/files/<serverId>/…`, downloads and resumable uploads
// (files-routes.ts). Each needs the portal's grant for that server and that scope.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import {
  AGENT_FILES_PATH,
  NODE_GRANT_HEADER,
  type ErrorCode,
  type GrantScope,
} from "@berth/protocol";
import type { Logger } from "pino";
import { parseFilesPath } from "./files-path";
import type { FilesRoutes } from "./files-routes";
import { createIdeProxy, type IdeTarget } from "./ide-proxy";
import type { IdeUpstreams } from "./ide-upstreams";
import { httpUrlOf, type ListenAddress } from "./listen-address";
import { verifyNodeGrant } from "./node-grant";
import { parseProxyPath } from "./proxy-path";
import { sendRefusal, writeRefusal, type Refusal } from "./refusals";

export interface IdeListenerOptions {
  listen: ListenAddress;
  /** The URL the portal uses to reach this listener; default `http://<listen host>:<bound port>`. */
  publicUrl?: string | undefined;
  nodeId: string;
  /** The key the portal's grants are signed with; null until the portal has answered a hello. */
  grantKey: () => string | null;
  upstreams: IdeUpstreams;
  /** Downloads and uploads; without them `/files/…` is not found. */
  files?: FilesRoutes;
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

  /** Null when the request carries the portal's grant for `serverId` and `scope`. */
  async function checkGrant(
    req: IncomingMessage,
    serverId: string,
    scope: GrantScope,
  ): Promise<Refusal | null> {
    const key = options.grantKey();
    if (!key) {
      return {
        status: 503,
        code: "NODE_OFFLINE",
        message: "This node has not been introduced to a portal yet",
      };
    }
    const token = req.headers[NODE_GRANT_HEADER];
    if (typeof token !== "string" || token === "") {
      return { status: 401, code: "UNAUTHORIZED", message: "A grant is required" };
    }
    const grant = await verifyNodeGrant(token, {
      key,
      nodeId: options.nodeId,
      serverId,
      scope,
      now,
    });
    if (!grant.ok) {
      return { status: 401, code: "UNAUTHORIZED", message: `Grant refused: ${grant.reason}` };
    }
    delete req.headers[NODE_GRANT_HEADER];
    return null;
  }

  /** Checks path, grant and upstream; on success the request is rewritten for code-server. */
  async function admit(req: IncomingMessage): Promise<Admission> {
    const route = parseProxyPath(req.url ?? "/");
    if (!route) return refuse(404, "NOT_FOUND", "No such path");
    const refused = await checkGrant(req, route.serverId, "ide");
    if (refused) return { ok: false, ...refused };
    const upstream = await upstreams.resolve(route.serverId);
    if (!upstream.ok) {
      return refuse(
        upstream.status,
        upstream.status === 404 ? "NOT_FOUND" : "CONFLICT",
        upstream.message,
      );
    }
    req.url = route.path;
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

  /** `/files/…`: the grant (scope files), then the routes; they stream and answer themselves. */
  async function serveFiles(files: FilesRoutes, req: IncomingMessage, res: ServerResponse) {
    try {
      const route = parseFilesPath(req.url ?? "/");
      if (!route) {
        sendRefusal(res, { status: 404, code: "NOT_FOUND", message: "No such path" });
        return;
      }
      const refused = await checkGrant(req, route.serverId, "files");
      if (refused) {
        sendRefusal(res, refused);
        return;
      }
      await files.serve(route, req, res);
    } catch (error) {
      log.error({ err: error, url: req.url }, "cannot serve a files request");
      sendRefusal(res, { status: 500, code: "INTERNAL", message: "Something went wrong" });
    }
  }

  const server = createServer((req, res) => {
    if (options.files && (req.url ?? "").startsWith(AGENT_FILES_PATH)) {
      void serveFiles(options.files, req, res);
      return;
    }
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
