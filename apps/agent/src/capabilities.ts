import { statfs } from "node:fs/promises";
import { cpus, totalmem } from "node:os";
import type { AgentHello, DriverName } from "@berth/protocol";

export interface Probes {
  dockerAvailable(): Promise<boolean>;
  ptyAvailable(): Promise<boolean>;
}

/** The real probes: ask the Docker engine for a ping, and load node-pty's native module. */
export const realProbes: Probes = {
  async dockerAvailable() {
    try {
      const { default: Docker } = await import("dockerode");
      await new Docker().ping({ abortSignal: AbortSignal.timeout(1500) } as never);
      return true;
    } catch {
      return false;
    }
  },
  async ptyAvailable() {
    try {
      await import("node-pty");
      return true;
    } catch {
      return false;
    }
  },
};

export class DriverUnavailableError extends Error {}

/**
 * The driver this agent runs servers with, decided once at start: "auto" takes Docker when the
 * engine answers and the process driver otherwise; an explicit choice that cannot work is an error.
 */
export async function chooseDriver(
  setting: "auto" | DriverName,
  probes: Probes,
): Promise<DriverName> {
  if (setting === "process") {
    if (await probes.ptyAvailable()) return "process";
    throw new DriverUnavailableError("The process driver needs node-pty, which did not load");
  }
  if (await probes.dockerAvailable()) return "docker";
  if (setting === "docker") {
    throw new DriverUnavailableError(
      "BERTH_AGENT_DRIVER is docker, but the Docker engine does not answer",
    );
  }
  if (await probes.ptyAvailable()) return "process";
  throw new DriverUnavailableError("Neither the Docker engine nor node-pty is available");
}

export async function describeNode({
  agentVersion,
  dataDir,
  probes,
  driver,
  address = null,
}: {
  agentVersion: string;
  dataDir: string;
  probes: Probes;
  /** The driver in use; listed first, as the node's default. */
  driver?: DriverName | null;
  /** The URL of the node's HTTP listener, where the portal forwards IDE traffic. */
  address?: string | null;
}): Promise<AgentHello> {
  const [docker, pty] = await Promise.all([probes.dockerAvailable(), probes.ptyAvailable()]);
  const available: DriverName[] = [];
  if (docker) available.push("docker");
  if (pty) available.push("process");
  const drivers =
    driver && available.includes(driver)
      ? [driver, ...available.filter((d) => d !== driver)]
      : available;
  let diskMb = 0;
  try {
    const fs = await statfs(dataDir);
    diskMb = Math.floor((fs.bavail * fs.bsize) / 2 ** 20);
  } catch {
    diskMb = 0;
  }
  return {
    agentVersion,
    capabilities: { docker, pty },
    drivers,
    capacity: { memoryMb: Math.floor(totalmem() / 2 ** 20), cpuCores: cpus().length, diskMb },
    address,
  };
}
