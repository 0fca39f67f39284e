// Forwards admitted requests and WebSocket upgrades to code-server with http-proxy, streaming both
// ways. http-proxy leaves some ends open, which this closes:
// - a browser that leaves while the answer streams: only `aborted` (an unfinished request body)
//   reaches the upstream, so the upstream request is destroyed when the response closes unfinished;
// - an upstream that dies mid-answer: the response is never ended, so it is destroyed, and the
//   client sees a cut response rather than a complete-looking one;
// - WebSockets: the sockets are piped, and an end or an error on one side only ends (half-closes)
//   the other, which a peer that never ends its own side would keep open; each side's close
//   destroys the other.
import { Agent, type IncomingMessage, type ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import httpProxy from "http-proxy";
import type { Logger } from "pino";

export interface IdeTarget {
  host: string;
  port: number;
}

export interface IdeProxy {
  web(req: IncomingMessage, res: ServerResponse, target: IdeTarget): void;
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, target: IdeTarget): void;
  close(): void;
}

export interface IdeProxyOptions {
  log: Logger;
  /** Called when the upstream cannot be reached and nothing has been answered yet. */
  unreachable: (answer: { res: ServerResponse } | { socket: Duplex }, error: Error) => void;
}

export function createIdeProxy({ log, unreachable }: IdeProxyOptions): IdeProxy {
  // No changeOrigin: code-server checks a WebSocket's Origin against Host, and both are the
  // browser's (the portal forwards them as they came).
  const proxy = httpProxy.createProxyServer({ ws: true, xfwd: false, changeOrigin: false });
  // Without an agent, http-proxy opens a new connection per request and asks for its close; a
  // workbench loads hundreds of assets.
  const keepAlive = new Agent({ keepAlive: true });
  /** Client sockets of upgrades the upstream has answered (101 or otherwise). */
  const answered = new WeakSet<Duplex>();

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
    const gone = () => proxyReq.destroy();
    socket.once("close", gone);
    proxyReq.once("response", () => answered.add(socket));
    proxyReq.once("upgrade", (_res, upstream) => {
      answered.add(socket);
      socket.off("close", gone);
      socket.once("close", () => upstream.destroy());
      upstream.once("close", () => socket.destroy());
    });
  });
  // Every call passes its own callback; this only keeps a stray error from throwing.
  proxy.on("error", (error) => log.warn({ err: error }, "proxy error"));

  return {
    web(req, res, target) {
      proxy.web(
        req,
        res,
        { target: { protocol: "http:", ...target }, agent: keepAlive },
        (error) => {
          if (res.headersSent || res.destroyed) {
            res.destroy();
            return;
          }
          unreachable({ res }, error);
        },
      );
    },
    upgrade(req, socket, head, target) {
      proxy.ws(req, socket, head, { target: { protocol: "http:", ...target } }, (error) => {
        if (answered.has(socket) || socket.destroyed) {
          socket.destroy();
          return;
        }
        unreachable({ socket }, error);
      });
    },
    close() {
      keepAlive.destroy();
      proxy.close();
    },
  };
}
