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

export async function describeNode({
  agentVersion,
  dataDir,
  probes,
}: {
  agentVersion: string;
  dataDir: string;
  probes: Probes;
}): Promise<AgentHello> {
  const [docker, pty] = await Promise.all([probes.dockerAvailable(), probes.ptyAvailable()]);
  const drivers: DriverName[] = [];
  if (docker) drivers.push("docker");
  if (pty) drivers.push("process");
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
    address: null,
  };
}
