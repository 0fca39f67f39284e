import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { createAdapter } from "@socket.io/redis-adapter";
import { createClient } from "redis";
import { Server as SocketServer } from "socket.io";
import type { Logger } from "pino";
import { createPrismaClient } from "@berth/db";
import {
  ARTIFACTS_PATH,
  ArtifactStore,
  createIdeLinks,
  createNodeGrants,
  createSecretBox,
  redispatchStuckProvisioning,
  sweepStaleNodes,
  type DeliveryOptions,
} from "@berth/api/services";
import { AGENT_NAMESPACE, BROWSER_NAMESPACE, ENROLL_PATH } from "@berth/protocol";
import type { PortalEnv } from "./env";
import { stampClientIp } from "./client-ip";
import { handleArtifactDownload } from "./http/artifact-download-route";
import { handleArtifactUpload } from "./http/artifact-upload-route";
import { handleEnroll } from "./http/enroll-route";
import { createFilesGate } from "./files/files-gate";
import { createIdeGate } from "./ide/ide-gate";
import { sendJson } from "./http/json";
import { PendingWork } from "./pending-work";
import { installRuntime, type PortalRuntime } from "./runtime";
import { createAgentCommands, createServerBroadcaster } from "./socket/agent-commands";
import { attachAgentNamespace } from "./socket/agent-namespace";
import { attachBrowserNamespace } from "./socket/browser-namespace";
import { createConsoleLink } from "./socket/console-link";
import { createConsolePeers, listenToConsolePeers } from "./console/console-peers";
import { ConsoleRelays, PEER_ANNOUNCE_MS } from "./console/console-relays";
import { createNodeBroadcaster } from "./socket/node-broadcaster";
import { StatsRecorder } from "./stats/stats-recorder";
import type { AgentNamespace, BrowserNamespace } from "./socket/types";

export interface NextHandlers {
  request(req: IncomingMessage, res: ServerResponse): Promise<void>;
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void>;
}

export interface RunningPortal {
  url: string;
  port: number;
  runtime: PortalRuntime;
  agents: AgentNamespace;
  stats: StatsRecorder;
  browsers: BrowserNamespace;
  consoles: ConsoleRelays;
  close(): Promise<void>;
}

/**
 * The portal's one HTTP server: health, enrollment, artifact and file routes, Socket.IO on /agent and
 * /browser, and everything else handed to Next (when given; integration tests run without it).
 */
export async function startPortalServer({
  env,
  log,
  next,
  webhookDelivery,
}: {
  env: PortalEnv;
  log: Logger;
  next?: NextHandlers;
  /** Crash webhook timeouts and retries (tests shorten them). */
  webhookDelivery?: DeliveryOptions;
}): Promise<RunningPortal> {
  const prisma = createPrismaClient(env.DATABASE_URL);

  const artifacts = new ArtifactStore({
    dir: env.BERTH_ARTIFACTS_DIR,
    maxBytes: env.BERTH_ARTIFACT_MAX_BYTES,
  });
  const publicUrl = env.BERTH_PUBLIC_URL.replace(/\/$/, "");
  const secureCookies = env.BERTH_PUBLIC_URL.startsWith("https://");
  const artifactPrefix = `${ARTIFACTS_PATH}/`;

  // Artifact uploads of hundreds of MB outlast Node's default 5 minutes for a whole request.
  const server = createServer({ requestTimeout: 60 * 60_000 }, (req, res) => {
    stampClientIp(req);
    const ide = ideGate.match(req);
    if (ide.kind !== "none") return ideGate.request(req, res, ide);
    const path = (req.url ?? "/").split("?")[0]!;
    if (path === "/api/health") return sendJson(res, 200, { ok: true });
    if (path === ENROLL_PATH) return void handleEnroll(req, res, { prisma, log });
    if (filesGate.matches(path)) return filesGate.request(req, res);
    if (path === ARTIFACTS_PATH) {
      return void handleArtifactUpload(req, res, {
        prisma,
        log,
        artifacts,
        publicUrl,
        authSecret: env.BERTH_SECRET,
        secureCookies,
      }).catch((err: unknown) => failed(res, err));
    }
    if (path.startsWith(artifactPrefix)) {
      return void handleArtifactDownload(req, res, path.slice(artifactPrefix.length), {
        log,
        artifacts,
      }).catch((err: unknown) => failed(res, err));
    }
    if (next) return void next.request(req, res);
    sendJson(res, 404, { code: "NOT_FOUND", message: "Not found." });
  });
  const failed = (res: ServerResponse, err: unknown) => {
    log.error({ err }, "request failed");
    if (!res.headersSent)
      sendJson(res, 500, { code: "INTERNAL", message: "Something went wrong." });
    else res.destroy();
  };

  // Dead agents are noticed by missed pings within pingInterval + pingTimeout (< 10 s).
  const io = new SocketServer(server, {
    pingInterval: 4000,
    pingTimeout: 4000,
    // An agent's console:output batch or replay holds up to 256 KiB of UTF-8, which JSON escaping
    // of control characters (\u001b…) can grow several times over.
    maxHttpBufferSize: 4e6,
    // Upgrades that are not Socket.IO's are routed below (IDE, Next) or refused there; the default
    // would end an IDE WebSocket whose node takes over a second to answer.
    destroyUpgrade: false,
  });
  const redisClients: Array<{ close(): Promise<unknown> }> = [];
  if (env.REDIS_URL) {
    const pub = createClient({ url: env.REDIS_URL });
    const sub = pub.duplicate();
    await Promise.all([pub.connect(), sub.connect()]);
    redisClients.push(pub, sub);
    io.adapter(createAdapter(pub, sub));
    log.info("socket.io redis adapter enabled");
  }
  const agents = io.of(AGENT_NAMESPACE) as AgentNamespace;
  const browsers = io.of(BROWSER_NAMESPACE) as BrowserNamespace;
  const background = new PendingWork();
  const events = createNodeBroadcaster({ prisma, log, agents, browsers, background });
  const serverEvents = createServerBroadcaster(browsers);
  const commands = createAgentCommands(agents);
  const runtime: PortalRuntime = {
    prisma,
    log,
    publicUrl,
    events,
    serverEvents,
    agents: commands,
    webhookSecrets: createSecretBox(env.BERTH_SECRET, "webhook-secret"),
    artifacts,
    authSecret: env.BERTH_SECRET,
    secureCookies,
    nodeGrants: createNodeGrants(env.BERTH_SECRET),
    ide: createIdeLinks({
      masterSecret: env.BERTH_SECRET,
      publicUrl,
      tokenTtlS: env.BERTH_IDE_TOKEN_TTL_S,
      hostSuffix: env.BERTH_IDE_HOST_SUFFIX ?? null,
    }),
  };
  installRuntime(runtime);
  const ideGate = createIdeGate({
    prisma,
    log: log.child({ part: "ide" }),
    ide: runtime.ide,
    nodeGrants: runtime.nodeGrants,
    publicUrl,
    secureCookies,
  });

  const filesGate = createFilesGate({
    prisma,
    log: log.child({ part: "files" }),
    nodeGrants: runtime.nodeGrants,
    authSecret: env.BERTH_SECRET,
    secureCookies,
  });

  const consoleLog = log.child({ part: "consoles" });
  const consoles = new ConsoleRelays({
    link: createConsoleLink(agents),
    log: consoleLog,
    peers: env.REDIS_URL ? createConsolePeers(agents) : undefined,
  });
  let announcer: NodeJS.Timeout | undefined;
  if (env.REDIS_URL) {
    listenToConsolePeers(agents, consoles, consoleLog);
    announcer = setInterval(() => consoles.announce(), PEER_ANNOUNCE_MS);
    announcer.unref();
  }

  const stats = new StatsRecorder({ prisma, log: log.child({ part: "stats" }) });
  stats.start();
  const shutdown = new AbortController();
  attachAgentNamespace({
    agents,
    browsers,
    consoles,
    nodeGrants: runtime.nodeGrants,
    prisma,
    log: log.child({ link: "agent" }),
    events,
    serverEvents,
    commands,
    background,
    stats,
    notifications: {
      webhookSecrets: runtime.webhookSecrets,
      publicUrl: runtime.publicUrl,
      signal: shutdown.signal,
      delivery: webhookDelivery,
    },
  });
  attachBrowserNamespace({
    browsers,
    agents,
    consoles,
    prisma,
    log: log.child({ link: "browser" }),
    authSecret: runtime.authSecret,
    secureCookies: runtime.secureCookies,
  });

  server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // Socket.IO's own listener has its path on every host, as it has for plain requests.
    if (req.url?.startsWith("/socket.io/")) return;
    const ide = ideGate.match(req);
    if (ide.kind !== "none") return ideGate.upgrade(req, socket, head, ide);
    if (next) return void next.upgrade(req, socket, head);
    socket.destroy();
  });

  const sweeper = setInterval(() => {
    sweepStaleNodes({ prisma, staleAfterMs: env.BERTH_NODE_STALE_MS })
      .then((ids) => ids.forEach((id) => events.nodeChanged(id)))
      .catch((err: unknown) => log.error({ err }, "stale node sweep failed"));
  }, 2000);
  sweeper.unref();
  const reconciler = setInterval(() => {
    redispatchStuckProvisioning({ prisma, agents: commands, serverEvents, log }).catch(
      (err: unknown) => log.error({ err }, "provisioning re-dispatch failed"),
    );
  }, 30_000);
  reconciler.unref();

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(env.PORT, env.HOST, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${env.HOST === "0.0.0.0" ? "127.0.0.1" : env.HOST}:${port}`;
  log.info({ url, publicUrl: runtime.publicUrl }, "portal listening");

  return {
    url,
    port,
    runtime,
    agents,
    stats,
    browsers,
    consoles,
    async close() {
      clearInterval(sweeper);
      clearInterval(reconciler);
      clearInterval(announcer);
      ideGate.close();
      filesGate.close();
      io.disconnectSockets(true);
      await new Promise<void>((resolve) => io.close(() => resolve()));
      // Webhook deliveries stop waiting for receivers and retries; history gets its last batch.
      shutdown.abort();
      await stats.close();
      // Disconnect handlers still record offline nodes and broadcast it through Redis.
      await background.idle();
      await Promise.all(redisClients.map((c) => c.close().catch(() => undefined)));
      await prisma.$disconnect();
    },
  };
}
