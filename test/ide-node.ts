// The agent's side of the IDE path without containers: a node enrolled through the services, the
// agent's real portal link (its hello carries the listener's address and is answered with the
// grant key) and the agent's real HTTP listener, whose upstreams the caller decides.
import pino from "pino";
import { createNode, enrollNode, systemActor } from "@berth/api/services";
import type { PrismaClient } from "@berth/db";
import type { FilesRoutes } from "../apps/agent/src/http/files-routes";
import { startIdeListener, type IdeListener } from "../apps/agent/src/http/ide-listener";
import type { IdeUpstreams } from "../apps/agent/src/http/ide-upstreams";
import {
  connectToPortal,
  type LinkServers,
  type PortalLink,
} from "../apps/agent/src/link/portal-link";

export interface IdeNode {
  nodeId: string;
  listener: IdeListener;
  link: PortalLink;
  close(): Promise<void>;
}

export interface IdeNodeOptions {
  portalUrl: string;
  upstreams: IdeUpstreams;
  /** The listener's `/files/…` routes; none: not found. */
  files?: FilesRoutes;
  /** What the link answers server commands with; none: every command is refused. */
  servers?: LinkServers;
}

/** Creates and enrolls a node, then links it (below). */
export async function startIdeNode({
  prisma,
  name,
  ...options
}: IdeNodeOptions & { prisma: PrismaClient; name: string }): Promise<IdeNode> {
  const { portalUrl } = options;
  const created = await createNode({ prisma, name, actor: systemActor, publicUrl: portalUrl });
  const enrolled = await enrollNode({ prisma, token: created.enrollmentToken });
  return linkIdeNode({ ...options, ...enrolled });
}

/** The listener, then the link whose hello names it; resolves once the hello was answered. */
export async function linkIdeNode({
  portalUrl,
  upstreams,
  files,
  servers,
  nodeId,
  credential,
}: IdeNodeOptions & { nodeId: string; credential: string }): Promise<IdeNode> {
  const log = pino({ level: "silent" });
  let link: PortalLink | null = null;
  const listener = await startIdeListener({
    listen: { host: "127.0.0.1", port: 0 },
    nodeId,
    grantKey: () => link?.grantKey ?? null,
    upstreams,
    ...(files ? { files } : {}),
    log,
  });
  const refused = new Promise<never>((_resolve, reject) => {
    link = connectToPortal({
      portalUrl,
      nodeId,
      credential,
      heartbeatMs: 2_000,
      reconnect: { minDelayMs: 100, maxDelayMs: 1_000 },
      describe: async () => ({
        agentVersion: "test",
        capabilities: { docker: false, pty: false },
        drivers: [],
        capacity: { memoryMb: 0, cpuCores: 0, diskMb: 0 },
        address: listener.url,
      }),
      ...(servers ? { servers: async () => servers } : {}),
      log,
      onRefused: (reason) => reject(new Error(`the portal refused the agent: ${reason.message}`)),
    });
  });
  const introduced = (async () => {
    const deadline = Date.now() + 10_000;
    while (!link!.grantKey) {
      if (Date.now() > deadline) throw new Error("the agent's hello was not answered in 10 s");
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  })();
  refused.catch(() => undefined); // after the hello, a refusal ends the link on its own
  await Promise.race([introduced, refused]);
  const linked = link!;
  return {
    nodeId,
    listener,
    link: linked,
    close: async () => {
      linked.close();
      await listener.close();
    },
  };
}
