import { Agent as HttpAgent, type IncomingMessage, type ServerResponse } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import type { Duplex } from "node:stream";
import httpProxy from "http-proxy";
import type { Logger } from "pino";
import type { PrismaClient } from "@berth/db";
import { IDE_SESSION_TTL_S, type IdeLinks, type NodeGrants } from "@berth/api/services";
import { AGENT_PROXY_PATH, IDE_WORKSPACE_FOLDER, NODE_GRANT_HEADER } from "@berth/protocol";
import { createIdeAccess, type IdeGrant, type IdeRefusal } from "./ide-access";
import { bearerOf, ideSetCookie, presentedSessions, withoutIdeCookie } from "./ide-cookie";
import { sendIdePage } from "./ide-page";
import {
  hasDotSegment,
  ideLocation,
  matchIdeRequest,
  withoutParam,
  type IdeMatch,
  type IdeRoute,
} from "./ide-route";

const OFFLINE: IdeRefusal = {
  ok: false,
  status: 502,
  title: "Node offline",
  message: "The server's node is offline. Try again when it is back.",
};

/**
 * The IDE gate in front of Next: redeems IDE links into cookie sessions, then forwards every
 * request and WebSocket of a valid session to the node's agent, which reaches code-server.
 */
export function createIdeGate({
  prisma,
  log,
  ide,
  nodeGrants,
  publicUrl,
  secureCookies,
}: {
  prisma: PrismaClient;
  log: Logger;
  ide: IdeLinks;
  nodeGrants: NodeGrants;
  publicUrl: string;
  secureCookies: boolean;
}) {
  const access = createIdeAccess({ prisma, ide });
  const agents = {
    http: new HttpAgent({ keepAlive: true }),
    https: new HttpsAgent({ keepAlive: true }),
  };
  // Host stays as the browser sent it: code-server compares a WebSocket's Origin with it.
  const proxy = httpProxy.createProxyServer({ changeOrigin: false, ws: true, xfwd: false });
  proxy.on("error", (err, req, res) => {
    const route = (req as IdeRequest).ideRoute;
    log.warn({ err, serverId: route?.serverId }, "IDE proxy failed");
    if ("writeHead" in res) {
      if (!res.headersSent && route) return page(res, route.serverId, OFFLINE);
      res.destroy();
    } else {
      res.destroy();
    }
  });
  // Whichever side goes away first takes the other with it, for responses and WebSockets alike.
  proxy.on("proxyReq", (proxyReq, _req, res) => {
    res.once("close", () => {
      if (!res.writableFinished) proxyReq.destroy();
    });
  });
  proxy.on("proxyRes", (proxyRes, _req, res) => {
    proxyRes.once("close", () => {
      if (!proxyRes.complete) res.destroy();
    });
  });
  proxy.on("proxyReqWs", (proxyReq, _req, socket) => {
    const early = () => proxyReq.destroy();
    socket.once("close", early);
    proxyReq.once("upgrade", (_res, proxySocket) => {
      socket.off("close", early);
      socket.once("close", () => proxySocket.destroy());
      proxySocket.once("close", () => socket.destroy());
    });
  });

  const page = (res: ServerResponse, serverId: string, refusal: IdeRefusal) =>
    sendIdePage(res, refusal.status, { ...refusal, serverId, publicUrl });

  /** Rewrites the request for the agent: its path, no Berth credentials, a fresh grant. */
  async function prepare(req: IdeRequest, route: IdeRoute, grant: IdeGrant & { address: string }) {
    const search = withoutParam(route.rawQuery, "token");
    req.url = `${AGENT_PROXY_PATH}${route.serverId}/${route.rest}${search ? `?${search}` : ""}`;
    req.ideRoute = route;
    const cookie = withoutIdeCookie(req.headers.cookie);
    if (cookie) req.headers.cookie = cookie;
    else delete req.headers.cookie;
    if (bearerOf(req.headers) && (await ide.verifySession(bearerOf(req.headers)!))) {
      delete req.headers.authorization;
    }
    req.headers[NODE_GRANT_HEADER] = await nodeGrants.sign({
      nodeId: grant.nodeId,
      userId: grant.userId,
      serverId: route.serverId,
      scope: "ide",
    });
    const target = new URL(grant.address);
    return {
      target: grant.address,
      agent: target.protocol === "https:" ? agents.https : agents.http,
    };
  }

  async function redeem(req: IncomingMessage, res: ServerResponse, route: IdeRoute, token: string) {
    const redeemed = await access.redeem(token, route.serverId);
    if (!redeemed.ok) return page(res, route.serverId, redeemed);
    const { session, expiresAt } = await ide.signSession(redeemed.claims);
    const allowed = await access.authorize([session], route.serverId);
    if (!allowed.ok) return page(res, route.serverId, allowed);
    const maxAgeS = Math.min(
      IDE_SESSION_TTL_S,
      Math.floor((expiresAt.getTime() - Date.now()) / 1000),
    );
    res.writeHead(302, {
      location: ideLocation(route, withoutParam(route.rawQuery, "token")),
      "set-cookie": ideSetCookie(route, session, {
        maxAgeS,
        secure: secureCookies || route.mode === "host",
      }),
      "cache-control": "no-store",
      "referrer-policy": "no-referrer",
    });
    res.end();
    log.info({ serverId: route.serverId, userId: redeemed.claims.userId }, "IDE link redeemed");
  }

  async function handleRequest(req: IncomingMessage, res: ServerResponse, route: IdeRoute) {
    if (hasDotSegment(route.rest)) {
      return page(res, route.serverId, {
        ok: false,
        status: 400,
        title: "Bad path",
        message: "This IDE address is not valid.",
      });
    }
    const token = route.query.get("token");
    if (token) return redeem(req, res, route, token);
    const grant = await access.authorize(presentedSessions(req.headers), route.serverId);
    if (!grant.ok) return page(res, route.serverId, grant);
    if (
      route.rest === "" &&
      req.method === "GET" &&
      !route.query.has("folder") &&
      !route.query.has("workspace")
    ) {
      const search = [route.rawQuery, `folder=${IDE_WORKSPACE_FOLDER}`].filter(Boolean).join("&");
      res.writeHead(302, { location: ideLocation(route, search), "cache-control": "no-store" });
      return void res.end();
    }
    if (!grant.address) return page(res, route.serverId, OFFLINE);
    const options = await prepare(req, route, { ...grant, address: grant.address });
    proxy.web(req, res, options);
  }

  async function handleUpgrade(
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    route: IdeRoute,
  ) {
    if (hasDotSegment(route.rest)) return void socket.destroy();
    const grant = await access.authorize(presentedSessions(req.headers), route.serverId);
    if (!grant.ok || !grant.address) {
      const status = grant.ok ? 502 : grant.status;
      socket.end(
        `HTTP/1.1 ${status} ${grant.ok ? "Bad Gateway" : "Refused"}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`,
      );
      return;
    }
    const options = await prepare(req, route, { ...grant, address: grant.address });
    proxy.ws(req, socket, head, options);
  }

  const hostSuffix = ide.hostSuffix;
  return {
    match: (req: IncomingMessage): IdeMatch => matchIdeRequest(req, hostSuffix),

    /** Answers a matched request; never throws (a failure is logged and shown as a page). */
    request(req: IncomingMessage, res: ServerResponse, match: Exclude<IdeMatch, { kind: "none" }>) {
      if (match.kind === "add-slash") {
        res.writeHead(301, { location: match.location });
        return void res.end();
      }
      handleRequest(req, res, match.route).catch((err: unknown) => {
        log.error({ err, serverId: match.route.serverId }, "IDE request failed");
        if (!res.headersSent) {
          page(res, match.route.serverId, {
            ok: false,
            status: 500,
            title: "Something went wrong",
            message: "The IDE could not be opened. Try again in a moment.",
          });
        } else res.destroy();
      });
    },

    upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, match: IdeMatch) {
      socket.on("error", () => undefined);
      if (match.kind !== "ide") return void socket.destroy();
      handleUpgrade(req, socket, head, match.route).catch((err: unknown) => {
        log.error({ err, serverId: match.route.serverId }, "IDE upgrade failed");
        socket.destroy();
      });
    },

    close() {
      proxy.close();
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}
export type IdeGate = ReturnType<typeof createIdeGate>;

type IdeRequest = IncomingMessage & { ideRoute?: IdeRoute };
