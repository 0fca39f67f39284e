// The agent's servers at start: pick the driver once, build what it needs and the consoles beside
// the manager, load the stored specs and reattach to whatever is still running.
import path from "node:path";
import type {
  CodeServerEvent,
  DriverName,
  ServerCrashEvent,
  ServerProgressEvent,
  ServerStateEvent,
  ServerStatsEvent,
  ServerTerminals,
} from "@berth/protocol";
import Docker from "dockerode";
import type { Logger } from "pino";
import { chooseDriver, type Probes } from "../capabilities";
import type { AgentConfig } from "../config";
import { DockerDriver } from "../drivers/docker-driver";
import type { Driver } from "../drivers/driver";
import { ProcessDriver } from "../drivers/process-driver";
import { GameConsoles } from "../console/game-consoles";
import { serverIdeUpstreams, type IdeUpstreams } from "../http/ide-upstreams";
import { systemClock } from "../instance/clock";
import { RuntimeStore } from "../runtimes/runtime-store";
import { StatsPoller } from "../supervision/stats-poller";
import { TerminalRegistry } from "../terminals/terminal-registry";
import { ServerConsoles } from "./server-consoles";
import { dockerImages, noImages, type ServerImages } from "./server-images";
import { ServerManager } from "./server-manager";
import { runtimeFolder } from "./spec";
import { SpecStore } from "./spec-store";

export interface Servers {
  driver: DriverName;
  manager: ServerManager;
  consoles: ServerConsoles;
  /** Where each server's code-server is, for the HTTP listener. */
  ideUpstreams: IdeUpstreams;
  /**
   * Detaches from every server and releases the driver; no server is stopped and no pending
   * restart happens. Terminal shells are ended: nothing could reach them after the agent is gone.
   */
  close(): Promise<void>;
}

export async function startServers({
  config,
  probes,
  log,
  onState,
  onProgress,
  onTerminals,
  onCrash,
  onStats,
  onCodeServer,
}: {
  config: AgentConfig;
  probes: Probes;
  log: Logger;
  onState: (event: ServerStateEvent) => void;
  onProgress: (event: ServerProgressEvent) => void;
  onTerminals: (update: ServerTerminals) => void;
  onCrash: (event: ServerCrashEvent) => void;
  onStats: (event: ServerStatsEvent) => void;
  onCodeServer: (event: CodeServerEvent) => void;
}): Promise<Servers> {
  const name = await chooseDriver(config.driver, probes);
  const driverLog = log.child({ driver: name });
  let driver: Driver;
  let images: ServerImages;
  let release = () => {};
  let hostOf = (_serverId: string): Promise<string | null> => Promise.resolve("127.0.0.1");
  if (name === "docker") {
    const docker = new Docker();
    const dockerDriver = new DockerDriver({ docker, log: driverLog });
    driver = dockerDriver;
    hostOf = (serverId) => dockerDriver.address(serverId);
    images = dockerImages({
      docker,
      cacheDir: config.cacheDir ?? path.join(config.dataDir, "cache"),
      log: log.child({ images: true }),
    });
  } else {
    const processDriver = new ProcessDriver({
      stateDir: path.join(config.dataDir, "state", "process"),
      log: driverLog,
    });
    driver = processDriver;
    images = noImages;
    release = () => processDriver.close();
  }
  log.info({ driver: name, setting: config.driver }, "driver chosen");

  const runtimes = await RuntimeStore.open({
    root: runtimeFolder(config.dataDir),
    log: log.child({ part: "runtimes" }),
  });
  const manager: ServerManager = new ServerManager({
    driver,
    images,
    store: new SpecStore({ dir: SpecStore.folderFor(config.dataDir) }),
    runtimes,
    dataDir: config.dataDir,
    labels: config.containerLabels,
    log,
    onState,
    onProgress,
    // The manager tells the consoles of output and states; they are made below (the manager is
    // their source of servers) and first hear from it in boot().
    consoles: {
      opened: (serverId) => consoles.opened(serverId),
      output: (serverId, chunk) => consoles.output(serverId, chunk),
      stateChanged: (serverId, state) => consoles.stateChanged(serverId, state),
      deleted: (serverId) => consoles.deleted(serverId),
    },
    onCrash,
    onCodeServer,
    usage: (serverId) => stats.latest(serverId),
  });
  const stats = new StatsPoller({
    clock: systemClock,
    servers: () => manager.liveServers(),
    stats: (serverId) => driver.stats(serverId),
    onSamples: (samples) => onStats({ samples }),
    log: log.child({ part: "stats" }),
  });
  const consoles = new ServerConsoles({
    games: new GameConsoles({ clock: systemClock }),
    terminals: new TerminalRegistry({
      driver,
      driverName: name,
      host: (serverId) => manager.consoleHost(serverId),
      clock: systemClock,
      log: log.child({ part: "terminals" }),
      onUpdate: onTerminals,
    }),
    servers: manager,
  });
  await manager.boot();
  stats.start();
  return {
    driver: name,
    manager,
    consoles,
    ideUpstreams: serverIdeUpstreams({ servers: manager, hostOf }),
    async close() {
      stats.stop();
      manager.dispose();
      await consoles.close();
      release();
    },
  };
}
