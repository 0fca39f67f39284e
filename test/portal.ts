import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { encode } from "next-auth/jwt";
import pino from "pino";
import { io as connect, type Socket } from "socket.io-client";
import { parsePortalEnv } from "../apps/portal/src/server/env";
import { startPortalServer, type RunningPortal } from "../apps/portal/src/server/portal-server";
import { join } from "node:path";
import {
  createNode,
  createUser,
  enrollNode,
  systemActor,
  type DeliveryOptions,
} from "@berth/api/services";
import type { PrismaClient } from "@berth/db";
import {
  AGENT_NAMESPACE,
  BROWSER_NAMESPACE,
  PROTOCOL_VERSION,
  type AgentToPortalEvents,
  type NodeStatusEvent,
  type PortalToAgentEvents,
} from "@berth/protocol";
import { enroll } from "../apps/agent/src/enroll";

export type AgentClientSocket = Socket<PortalToAgentEvents, AgentToPortalEvents>;

export interface TestPortal extends RunningPortal {
  secret: string;
}

/** A real portal server (HTTP + Socket.IO, no Next) on a free loopback port. */
export async function startTestPortal({
  databaseUrl,
  port = 0,
  staleMs = 15_000,
  redisUrl,
  webhookDelivery,
  artifactsDir,
  artifactMaxBytes,
  ideHostSuffix,
  secret = randomBytes(32).toString("hex"),
}: {
  databaseUrl: string;
  port?: number;
  staleMs?: number;
  redisUrl?: string;
  webhookDelivery?: DeliveryOptions;
  /** Where uploaded artifacts go; a temp folder removed on close by default. */
  artifactsDir?: string;
  artifactMaxBytes?: number;
  /** Host-based IDE links, `dev-<serverId>.<suffix>`. */
  ideHostSuffix?: string;
  /** BERTH_SECRET; portals of one platform share it. A fresh one by default. */
  secret?: string;
}): Promise<TestPortal> {
  const artifacts = artifactsDir ?? mkdtempSync(join(tmpdir(), "berth-artifacts-"));
  const env = parsePortalEnv({
    NODE_ENV: "test",
    DATABASE_URL: databaseUrl,
    BERTH_SECRET: secret,
    BERTH_PUBLIC_URL: "http://localhost:3000",
    HOST: "127.0.0.1",
    PORT: String(port),
    LOG_LEVEL: "silent",
    BERTH_NODE_STALE_MS: String(staleMs),
    REDIS_URL: redisUrl,
    BERTH_ARTIFACTS_DIR: artifacts,
    BERTH_ARTIFACT_MAX_BYTES: artifactMaxBytes?.toString(),
    BERTH_IDE_HOST_SUFFIX: ideHostSuffix,
  });
  const portal = await startPortalServer({
    env,
    log: pino({ level: "silent" }),
    webhookDelivery,
  });
  const close = portal.close.bind(portal);
  return Object.assign(portal, {
    secret,
    async close() {
      await close();
      if (!artifactsDir) rmSync(artifacts, { recursive: true, force: true });
    },
  });
}

/** The same session cookie next-auth sets at login, for a browser socket. */
export async function sessionCookie(
  secret: string,
  user: { id: string; email: string; role: "admin" | "user" },
): Promise<string> {
  const jwt = await encode({
    token: { uid: user.id, email: user.email, role: user.role, name: null },
    secret,
  });
  return `next-auth.session-token=${jwt}`;
}

export function connectBrowser(portalUrl: string, cookie?: string): Socket {
  return connect(`${portalUrl}${BROWSER_NAMESPACE}`, {
    transports: ["websocket"],
    extraHeaders: cookie ? { cookie } : {},
    reconnection: false,
  });
}

export function waitFor<T>(
  check: () => Promise<T | undefined> | T | undefined,
  { timeoutMs = 15_000, intervalMs = 100, what = "condition" } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const tick = async () => {
      try {
        const value = await check();
        if (value !== undefined && value !== false) return resolve(value as T);
      } catch {
        // keep polling until the deadline
      }
      if (Date.now() > deadline) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(() => void tick(), intervalMs);
    };
    void tick();
  });
}

/** An admin's browser socket collecting every `node:status` it receives. */
export async function watchNodeStatus(
  portal: TestPortal,
  prisma: PrismaClient,
  email: string,
): Promise<{ seen: NodeStatusEvent[]; browser: Socket }> {
  const admin = await createUser({ db: prisma, email, password: "password1", role: "admin" });
  const browser = connectBrowser(
    portal.url,
    await sessionCookie(portal.secret, { ...admin, role: "admin" }),
  );
  const seen: NodeStatusEvent[] = [];
  browser.on("node:status", (e: NodeStatusEvent) => seen.push(e));
  await waitFor(() => browser.connected || undefined, { what: `${email}'s socket` });
  return { seen, browser };
}

/** A node created as an admin would, enrolled through the portal by the agent's own code. */
export async function enrollTestNode({
  prisma,
  portalUrl,
  name,
  dir,
}: {
  prisma: PrismaClient;
  portalUrl: string;
  name: string;
  dir: string;
}): Promise<{ nodeId: string; configFile: string }> {
  const created = await createNode({ prisma, name, actor: systemActor, publicUrl: portalUrl });
  const configFile = join(dir, `${name}.json`);
  await enroll({ portalUrl, token: created.enrollmentToken, configFile });
  return { nodeId: created.node.id, configFile };
}

/**
 * A node enrolled through the services and a Socket.IO client on /agent speaking the protocol,
 * for tests of the portal's side of the link without an agent process.
 */
export async function connectTestAgent({
  portal,
  prisma,
  name,
}: {
  portal: TestPortal;
  prisma: PrismaClient;
  name: string;
}): Promise<{ nodeId: string; socket: AgentClientSocket }> {
  const created = await createNode({ prisma, name, actor: systemActor, publicUrl: portal.url });
  const { nodeId, credential } = await enrollNode({ prisma, token: created.enrollmentToken });
  const socket: AgentClientSocket = connect(`${portal.url}${AGENT_NAMESPACE}`, {
    auth: { nodeId, credential, protocolVersion: PROTOCOL_VERSION },
    transports: ["websocket"],
    reconnection: false,
    // Its own connection: a browser socket must not be multiplexed over the agent's (no cookie).
    forceNew: true,
  });
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("connect_error", reject);
  });
  return { nodeId, socket };
}
