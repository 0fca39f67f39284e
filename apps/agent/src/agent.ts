import path from "node:path";
import type { Logger } from "pino";
import { describeNode, realProbes, type Probes } from "./capabilities";
import type { AgentConfig } from "./config";
import { createFilesRoutes } from "./http/files-routes";
import { startIdeListener, type IdeListener } from "./http/ide-listener";
import { connectToPortal, type LinkServers, type PortalLink } from "./link/portal-link";
import { createServerMods, type ServerMods } from "./mods/server-mods";
import { createOwnerWorkers } from "./files/owner-workers";
import { startServers, type Servers } from "./servers/start-servers";
import { Uploads } from "./transfers/uploads";
import { AGENT_VERSION } from "./version";

export interface RunningAgent {
  link: PortalLink;
  /** The agent's servers and consoles, once loaded. */
  servers: Promise<Servers>;
  /** Resolves when the portal refuses this agent for good. */
  refused: Promise<{ code: string; message: string }>;
  /** The HTTP listener the portal forwards IDE traffic and file bytes to, once it is bound. */
  listener: Promise<IdeListener>;
  /**
   * Resolves once the servers are loaded (running ones reattached) and the listener is bound;
   * rejects if either cannot be.
   */
  ready: Promise<void>;
  stop(): Promise<void>;
}

export function startAgent({
  config,
  log,
  probes = realProbes,
}: {
  config: AgentConfig;
  log: Logger;
  probes?: Probes;
}): RunningAgent {
  let onRefused!: (reason: { code: string; message: string }) => void;
  const refused = new Promise<{ code: string; message: string }>(
    (resolve) => (onRefused = resolve),
  );

  // Events raised while the servers load go out through the link once it exists.
  let link: PortalLink | null = null;
  const servers: Promise<Servers> = startServers({
    config,
    probes,
    log: log.child({ part: "servers" }),
    onState: (event) => link?.sendState(event),
    onProgress: (event) => link?.sendProgress(event),
    onTerminals: (update) => link?.sendTerminals(update),
    onCrash: (event) => link?.sendCrash(event),
    onStats: (event) => link?.sendStats(event),
    onCodeServer: (event) => link?.sendCodeServer(event),
  });
  // Uploads are staged beside the servers' folders (same file system: the final rename is atomic).
  const uploads = new Uploads({
    stagingRoot: path.join(config.dataDir, "uploads"),
    log: log.child({ part: "uploads" }),
  });
  servers.then(
    ({ manager }) => uploads.startSweeping((serverId) => manager.has(serverId)),
    () => undefined,
  );
  const files = createFilesRoutes({
    servers: {
      fileRoot: async (serverId) => {
        const { manager } = await servers;
        const found = manager.fileRoot(serverId);
        if (!found) return null;
        return { root: found.root, owner: found.owner, diskMb: manager.diskQuotaMb(serverId) };
      },
    },
    uploads,
    log: log.child({ part: "files" }),
  });
  // Bound before the first hello, which carries its URL.
  const listener = startIdeListener({
    listen: config.httpListen,
    publicUrl: config.httpUrl,
    nodeId: config.nodeId,
    grantKey: () => link?.grantKey ?? null,
    upstreams: { resolve: async (serverId) => (await servers).ideUpstreams.resolve(serverId) },
    files,
    log: log.child({ part: "http" }),
  });
  const ready = Promise.all([servers, listener]).then(() => undefined);
  // The rejection is the caller's to handle through `ready`; commands report it on their own.
  ready.catch(() => undefined);

  const linkServers = async (): Promise<LinkServers> => {
    const { manager } = await servers;
    return {
      provision: (request) => manager.provision(request),
      power: (serverId, action) => manager.power(serverId, action),
      delete: (serverId) => manager.delete(serverId),
      inventory: () => manager.inventory(),
      codeServer: (serverId, action) => manager.codeServer(serverId, action),
    };
  };

  // A game server's mods/ and plugins/ live in its data folder (what the driver mounts).
  const mods: Promise<ServerMods> = servers.then(({ manager }) =>
    createServerMods({
      locate: (serverId) => {
        const host = manager.consoleHost(serverId);
        return host ? { kind: host.kind, root: host.spec.dataDir } : null;
      },
      log: log.child({ part: "mods" }),
    }),
  );
  mods.catch(() => undefined);

  // A root agent does a server's file operations as the server's user.
  const fileWorkers = createOwnerWorkers({
    onUnreachable: ({ root, owner }) =>
      log.warn(
        { root, owner },
        "the server's user cannot reach its folder or the agent's code: file operations run as the agent",
      ),
  });
  link = connectToPortal({
    portalUrl: config.portalUrl,
    nodeId: config.nodeId,
    credential: config.credential,
    heartbeatMs: config.heartbeatMs,
    reconnect: config.reconnect,
    describe: async () =>
      describeNode({
        agentVersion: AGENT_VERSION,
        dataDir: config.dataDir,
        probes,
        driver: await servers.then(
          (s) => s.driver,
          () => null,
        ),
        address: (await listener).url,
      }),
    servers: linkServers,
    consoles: async () => (await servers).consoles,
    files: async () => {
      const { manager } = await servers;
      return {
        root: (serverId) => manager.fileRoot(serverId),
        run: (where, operation) => fileWorkers.run(where, operation),
      };
    },
    mods: () => mods,
    log: log.child({ link: "portal" }),
    onRefused,
  });
  return {
    link,
    servers,
    listener,
    refused,
    ready,
    async stop() {
      // Servers keep running; the agent only detaches.
      link?.close();
      uploads.close();
      fileWorkers.close();
      await listener.then(
        (l) => l.close(),
        () => undefined,
      );
      await servers.then(
        (s) => s.close(),
        () => undefined,
      );
    },
  };
}
