// The container a server runs in, from its spec: pure, so the limits and the hardening are
// unit-tested and the driver only sends the result to the engine.
import path from "node:path";
import type Docker from "dockerode";
import { DriverError, type ServerSpec } from "../driver";

export const SERVER_LABEL = "berth.server";
const MIB = 1024 * 1024;

/** Docker container names allow [a-zA-Z0-9][a-zA-Z0-9_.-]*; server ids must fit that. */
const SERVER_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

export function containerName(serverId: string): string {
  if (!SERVER_ID.test(serverId)) {
    throw new DriverError("FAILED", `Invalid server id ${JSON.stringify(serverId)}`);
  }
  return `berth-${serverId}`;
}

export interface ContainerDefaults {
  /** `uid:gid` the server runs as, whatever the image says. */
  user: string;
  /** json-file log rotation, so a chatty server cannot fill the disk with logs. */
  logMaxSize: string;
  logMaxFiles: number;
  /** The Docker network servers join (see server-network.ts). */
  network: string;
}

export function containerOptions(
  spec: ServerSpec,
  defaults: ContainerDefaults,
): Docker.ContainerCreateOptions {
  if (!path.isAbsolute(spec.dataDir)) {
    throw new DriverError("FAILED", `Data folder must be an absolute path: ${spec.dataDir}`);
  }
  if (!path.posix.isAbsolute(spec.workdir)) {
    throw new DriverError("FAILED", `Working directory must be an absolute path: ${spec.workdir}`);
  }
  for (const mount of spec.mounts ?? []) {
    if (!path.isAbsolute(mount.source) || !path.posix.isAbsolute(mount.target)) {
      throw new DriverError(
        "FAILED",
        `Mounts need absolute paths: ${mount.source} -> ${mount.target}`,
      );
    }
  }
  const exposed: Record<string, object> = {};
  const bindings: Record<string, Array<{ HostIp: string; HostPort: string }>> = {};
  for (const port of spec.ports) {
    const key = `${port.containerPort}/${port.protocol}`;
    exposed[key] = {};
    (bindings[key] ??= []).push({ HostIp: "0.0.0.0", HostPort: String(port.hostPort) });
  }
  const { memoryMb, cpuPercent, pids } = spec.limits;
  const memory = memoryMb > 0 ? Math.round(memoryMb * MIB) : 0;
  return {
    name: containerName(spec.serverId),
    Image: spec.image,
    Cmd: spec.command,
    Env: Object.entries(spec.env).map(([key, value]) => `${key}=${value}`),
    WorkingDir: spec.workdir,
    User: defaults.user,
    Labels: { ...spec.labels, [SERVER_LABEL]: spec.serverId },
    Tty: true,
    OpenStdin: true,
    StdinOnce: false,
    AttachStdin: true,
    AttachStdout: true,
    AttachStderr: true,
    ExposedPorts: exposed,
    HostConfig: {
      Binds: [
        `${path.resolve(spec.dataDir)}:${spec.workdir}`,
        ...(spec.mounts ?? []).map((m) => `${path.resolve(m.source)}:${m.target}:ro`),
      ],
      // Memory = MemorySwap: no swap on top of the limit, so the limit is what OOM-kills.
      Memory: memory,
      MemorySwap: memory > 0 ? memory : 0,
      NanoCpus: cpuPercent > 0 ? Math.round(cpuPercent * 1e7) : 0,
      PidsLimit: pids > 0 ? pids : 0,
      Privileged: false,
      SecurityOpt: ["no-new-privileges"],
      CapDrop: ["ALL"],
      CapAdd: spec.capabilities,
      PortBindings: bindings,
      NetworkMode: defaults.network,
      // A small init as PID 1: it forwards signals to the server (a shell or a program without
      // handlers as PID 1 would ignore SIGTERM) and reaps zombies.
      Init: true,
      // Restarts are the supervisor's decision, never the engine's.
      RestartPolicy: { Name: "no" },
      LogConfig: {
        Type: "json-file",
        Config: { "max-size": defaults.logMaxSize, "max-file": String(defaults.logMaxFiles) },
      },
    },
  };
}
