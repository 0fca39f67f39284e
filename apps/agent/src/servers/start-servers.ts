// The agent's servers at start: pick the driver once, build what it needs, load the stored specs
// and reattach to whatever is still running.
import path from "node:path";
import type { DriverName, ServerProgressEvent, ServerStateEvent } from "@berth/protocol";
import Docker from "dockerode";
import type { Logger } from "pino";
import { chooseDriver, type Probes } from "../capabilities";
import type { AgentConfig } from "../config";
import { DockerDriver } from "../drivers/docker-driver";
import type { Driver } from "../drivers/driver";
import { ProcessDriver } from "../drivers/process-driver";
import { dockerImages, noImages, type ServerImages } from "./server-images";
import { ServerManager } from "./server-manager";
import { SpecStore } from "./spec-store";

export interface Servers {
  driver: DriverName;
  manager: ServerManager;
  /** Detaches from every server and releases the driver; no server is stopped. */
  close(): void;
}

export async function startServers({
  config,
  probes,
  log,
  onState,
  onProgress,
}: {
  config: AgentConfig;
  probes: Probes;
  log: Logger;
  onState: (event: ServerStateEvent) => void;
  onProgress: (event: ServerProgressEvent) => void;
}): Promise<Servers> {
  const name = await chooseDriver(config.driver, probes);
  const driverLog = log.child({ driver: name });
  let driver: Driver;
  let images: ServerImages;
  let release = () => {};
  if (name === "docker") {
    const docker = new Docker();
    driver = new DockerDriver({ docker, log: driverLog });
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

  const manager = new ServerManager({
    driver,
    images,
    store: new SpecStore({ dir: SpecStore.folderFor(config.dataDir) }),
    dataDir: config.dataDir,
    labels: config.containerLabels,
    log,
    onState,
    onProgress,
    onCrash: (crash) =>
      log.warn(
        { serverId: crash.serverId, exit: crash.exit, uptimeMs: crash.uptimeMs },
        "server crashed",
      ),
  });
  await manager.boot();
  return {
    driver: name,
    manager,
    close() {
      manager.dispose();
      release();
    },
  };
}
