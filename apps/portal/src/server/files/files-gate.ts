// Bulk file bytes between browsers and nodes: `/api/files/<serverId>/download?path=…` (streamed
// file or folder .tar.gz) and the tus endpoint `/api/files/<serverId>/uploads/…`. The portal
// checks the next-auth session and that the user owns the server (or is an admin), then forwards
// with http-proxy, streaming both ways, to the node's listener at `/files/<serverId>/…` with a
// fresh `files` grant. Berth's cookies never reach the node, and the node's address never reaches
// the browser (an upload's Location is rewritten onto the portal's prefix).
import { Agent as HttpAgent, type IncomingMessage, type ServerResponse } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import httpProxy from "http-proxy";
import type { Logger } from "pino";
import type { PrismaClient } from "@berth/db";
import type { NodeGrants } from "@berth/api/services";
import { NODE_GRANT_HEADER, PORTAL_FILES_PATH } from "@berth/protocol";
import { sendJson } from "../http/json";
import { requestUser } from "../http/request-user";
import { parseFilesRoute, portalLocation, type FilesRoute } from "./files-route";

type FilesRequest = IncomingMessage & { filesRoute?: FilesRoute };

export function createFilesGate({
  prisma,
  log,
  nodeGrants,
  authSecret,
  secureCookies,
}: {
  prisma: PrismaClient;
  log: Logger;
  nodeGrants: NodeGrants;
  authSecret: string;
  secureCookies: boolean;
}) {
  const agents = {
    http: new HttpAgent({ keepAlive: true }),
    https: new HttpsAgent({ keepAlive: true }),
  };
  const proxy = httpProxy.createProxyServer({ changeOrigin: true, xfwd: false });
  proxy.on("error", (err, req, res) => {
    const route = (req as FilesRequest).filesRoute;
    log.warn({ err, serverId: route?.serverId }, "files proxy failed");
    if ("writeHead" in res && !res.headersSent) {
      sendJson(res, 502, { code: "NODE_OFFLINE", message: "The server's node did not answer." });
    } else {
      res.destroy();
    }
  });
  // Whichever side goes away first takes the other with it: a browser that leaves mid-upload
  // ends the node's request (tus keeps what arrived), a node that dies mid-download cuts the
  // browser's response rather than ending it as if complete.
  proxy.on("proxyReq", (proxyReq, _req, res) => {
    res.once("close", () => {
      if (!res.writableFinished) proxyReq.destroy();
    });
  });
  proxy.on("proxyRes", (proxyRes, req, res) => {
    proxyRes.once("close", () => {
      if (!proxyRes.complete) res.destroy();
    });
    const route = (req as FilesRequest).filesRoute;
    const location = proxyRes.headers.location;
    if (route && typeof location === "string") {
      const rewritten = portalLocation(location, route.serverId);
      if (rewritten) proxyRes.headers.location = rewritten;
      else delete proxyRes.headers.location;
    }
    // Same origin only: the node's CORS answers are not the portal's.
    for (const name of Object.keys(proxyRes.headers)) {
      if (name.startsWith("access-control-")) delete proxyRes.headers[name];
    }
  });

  async function handle(req: FilesRequest, res: ServerResponse): Promise<void> {
    const route = parseFilesRoute(req.url ?? "/");
    if (!route) return sendJson(res, 404, { code: "NOT_FOUND", message: "Not found." });
    const user = await requestUser(req, { prisma, authSecret, secureCookies });
    if (!user) {
      return sendJson(res, 401, { code: "UNAUTHORIZED", message: "Sign in to work with files." });
    }
    const server = await prisma.server.findUnique({
      where: { id: route.serverId },
      select: { ownerId: true, nodeId: true, node: { select: { status: true, address: true } } },
    });
    // Someone else's server is as unknown as a missing one.
    if (!server || (server.ownerId !== user.id && user.role !== "admin")) {
      return sendJson(res, 404, { code: "NOT_FOUND", message: "No such server." });
    }
    const address = server.node.status === "online" ? server.node.address : null;
    if (!address) {
      return sendJson(res, 502, {
        code: "NODE_OFFLINE",
        message: "The server's node is offline. Try again when it is back.",
      });
    }
    req.filesRoute = route;
    req.url = route.agentPath;
    for (const name of ["cookie", "authorization", "x-berth-client-ip"]) delete req.headers[name];
    req.headers[NODE_GRANT_HEADER] = await nodeGrants.sign({
      nodeId: server.nodeId,
      userId: user.id,
      serverId: route.serverId,
      scope: "files",
    });
    const target = new URL(address);
    proxy.web(req, res, {
      target: address,
      agent: target.protocol === "https:" ? agents.https : agents.http,
      // An upload's body is the browser's stream; nothing is buffered here.
      proxyTimeout: 0,
    });
  }

  return {
    matches: (path: string) => path.startsWith(PORTAL_FILES_PATH),
    /** Answers a request under `/api/files/`; never throws (a failure is logged, answered 500). */
    request(req: IncomingMessage, res: ServerResponse): void {
      handle(req, res).catch((err: unknown) => {
        log.error({ err }, "files request failed");
        if (!res.headersSent) {
          sendJson(res, 500, { code: "INTERNAL", message: "Something went wrong." });
        } else res.destroy();
      });
    },
    close() {
      proxy.close();
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}

export type FilesGate = ReturnType<typeof createFilesGate>;
