// The Docker driver: one container per server (`berth-<serverId>`, label `berth.server=<id>`),
// driven through the Engine API with dockerode. Mechanics only: it never restarts, never decides.
//
// Containers run as a non-root user (1000:1000 unless configured) with every capability dropped
// (the spec adds some back), no-new-privileges, memory = memory+swap, CPU and PID limits, a TTY and
// an open stdin, and a small init as PID 1 that forwards signals to the server. The data folder is
// bind-mounted at the spec's workdir and handed to that user when the agent runs as root.
import { randomUUID } from "node:crypto";
import { chown, mkdir, stat } from "node:fs/promises";
import path from "node:path";
import Docker from "dockerode";
import pino, { type Logger } from "pino";
import {
  DriverError,
  NO_PROCESS,
  type Driver,
  type ExecHandle,
  type ExecOptions,
  type ProcessHandle,
  type ProcessState,
  type ServerSpec,
  type ServerStats,
  type StopOptions,
} from "./driver";
import {
  SERVER_LABEL,
  containerName,
  containerOptions,
  type ContainerDefaults,
} from "./docker/container-options";
import { dockerMessage, dockerStatus, toDriverError } from "./docker/errors";
import { toExitInfo, toProcessState, toServerStats } from "./docker/state";
import { EXEC_MARKER, signalExec } from "./docker/exec-signal";
import { ExecStreamHandle, StreamHandle } from "./docker/stream-handle";
import { ensureServerNetwork, SERVER_NETWORK } from "./docker/server-network";

/**
 * The engine detaches a console when it reads its detach sequence (ctrl-p ctrl-q by default) and
 * holds back every byte that could start it until the next one arrives: a shell's ctrl-p would lag
 * a keystroke, and a user could cut the agent's console. It cannot be turned off, so it is set to
 * something no terminal sends in practice: eight NULs (ctrl-space, whose lag emacs users never see
 * as the next key always follows).
 */
const DETACH_KEYS = Array.from({ length: 8 }, () => "ctrl-@").join(",");

export interface DockerDriverOptions {
  /** Defaults to the local engine (`DOCKER_HOST` or /var/run/docker.sock). */
  docker?: Docker;
  log?: Logger;
  /** `uid:gid` servers run as; the data folder is chowned to it. Default 1000:1000. */
  user?: string;
  /** How long `kill` and `destroy` wait for a SIGKILLed container. Default 30 s. */
  killWaitMs?: number;
  logMaxSize?: string;
  logMaxFiles?: number;
  /** The network servers join; made (inter-container traffic off) when missing. */
  network?: string;
}

export class DockerDriver implements Driver {
  readonly name = "docker" as const;
  readonly #docker: Docker;
  readonly #log: Logger;
  readonly #defaults: ContainerDefaults;
  readonly #killWaitMs: number;
  #networkReady: Promise<void> | null = null;

  constructor(options: DockerDriverOptions = {}) {
    this.#docker = options.docker ?? new Docker();
    this.#log = options.log ?? pino({ enabled: false });
    this.#defaults = {
      user: options.user ?? "1000:1000",
      logMaxSize: options.logMaxSize ?? "10m",
      logMaxFiles: options.logMaxFiles ?? 2,
      network: options.network ?? SERVER_NETWORK,
    };
    this.#killWaitMs = options.killWaitMs ?? 30_000;
  }

  async create(spec: ServerSpec): Promise<void> {
    const options = containerOptions(spec, this.#defaults);
    await this.#prepareDataDir(spec.dataDir);
    await this.#ensureNetwork();
    try {
      await this.#docker.createContainer(options).catch(async (error: unknown) => {
        // Someone removed the network since this driver made it: make it again, once.
        if (dockerStatus(error) !== 404 || !/network/i.test(dockerMessage(error))) throw error;
        this.#networkReady = null;
        await this.#ensureNetwork();
        return this.#docker.createContainer(options);
      });
      this.#log.info({ serverId: spec.serverId, image: spec.image }, "container created");
    } catch (error) {
      const status = dockerStatus(error);
      if (status === 404) {
        throw new DriverError(
          "UNAVAILABLE",
          `Image ${spec.image} is not on this node (${dockerMessage(error)})`,
          { cause: error },
        );
      }
      if (status === 409) {
        // Already there (an earlier create, or a concurrent one): fine if it is this server's.
        const existing = await this.#inspectRaw(spec.serverId);
        if (existing?.Config.Labels?.[SERVER_LABEL] === spec.serverId) return;
        throw new DriverError(
          "CONFLICT",
          `A container named ${options.name} exists but does not belong to server ${spec.serverId}`,
          { cause: error },
        );
      }
      throw toDriverError(error, `create server ${spec.serverId}`);
    }
  }

  #ensureNetwork(): Promise<void> {
    this.#networkReady ??= ensureServerNetwork(
      this.#docker,
      this.#defaults.network,
      this.#log,
    ).catch((error: unknown) => {
      this.#networkReady = null;
      throw toDriverError(error, `prepare the server network ${this.#defaults.network}`);
    });
    return this.#networkReady;
  }

  async inspect(serverId: string): Promise<ProcessState> {
    const info = await this.#inspectRaw(serverId);
    return info ? toProcessState(info.State) : { ...NO_PROCESS };
  }

  async start(serverId: string): Promise<void> {
    try {
      await this.#container(serverId).start();
    } catch (error) {
      if (dockerStatus(error) === 304) return; // already running
      throw this.#error(error, `start server ${serverId}`, serverId);
    }
  }

  async stop(serverId: string, { signal, timeoutMs }: StopOptions): Promise<boolean> {
    const container = this.#container(serverId);
    if (!(await this.#signal(container, serverId, signal))) return true;
    return this.#waitNotRunning(container, serverId, timeoutMs);
  }

  async kill(serverId: string): Promise<void> {
    const container = this.#container(serverId);
    if (!(await this.#signal(container, serverId, "SIGKILL"))) return;
    if (!(await this.#waitNotRunning(container, serverId, this.#killWaitMs))) {
      throw new DriverError(
        "FAILED",
        `Server ${serverId} did not exit within ${this.#killWaitMs} ms of SIGKILL`,
      );
    }
  }

  async destroy(serverId: string): Promise<void> {
    const container = this.#container(serverId);
    // Kill and wait first, so attached handles see a normal exit before the container goes.
    try {
      if (await this.#signal(container, serverId, "SIGKILL")) {
        await this.#waitNotRunning(container, serverId, this.#killWaitMs);
      }
    } catch (error) {
      if (!(error instanceof DriverError && error.code === "NOT_FOUND")) throw error;
      return;
    }
    try {
      await container.remove({ force: true, v: true });
      this.#log.info({ serverId }, "container removed");
    } catch (error) {
      const status = dockerStatus(error);
      if (status === 404) return;
      if (status === 409 && /already in progress/i.test(dockerMessage(error))) {
        await container.wait({ condition: "removed" }).catch(() => undefined);
        return;
      }
      throw toDriverError(error, `remove server ${serverId}`);
    }
  }

  async attach(serverId: string): Promise<ProcessHandle> {
    const container = this.#container(serverId);
    let stream: NodeJS.ReadWriteStream;
    try {
      // Before start, the engine holds the connection open and streams from the first byte;
      // on a running container it streams from now on (logs: false, no replay).
      stream = await container.attach({
        stream: true,
        stdin: true,
        stdout: true,
        stderr: true,
        hijack: true,
        logs: false,
        detachKeys: DETACH_KEYS,
      });
    } catch (error) {
      throw this.#error(error, `attach to server ${serverId}`, serverId);
    }
    const log = this.#log.child({ serverId });
    return new StreamHandle(stream, {
      log,
      resize: (cols, rows) => container.resize({ w: cols, h: rows }),
      // The connection ends when the container's process exits; the engine may close it a moment
      // before it marks the container stopped, so ask it to wait for that.
      exit: async () => {
        let statusCode: number | null = null;
        try {
          const result = (await container.wait({ condition: "not-running" })) as {
            StatusCode?: number;
          };
          statusCode = typeof result.StatusCode === "number" ? result.StatusCode : null;
        } catch (error) {
          if (dockerStatus(error) !== 404) throw error;
        }
        const info = await container.inspect().catch(() => null);
        const exit = toExitInfo(statusCode, info?.State ?? null);
        log.debug({ exit }, "console stream ended");
        return exit;
      },
    });
  }

  async exec(serverId: string, options: ExecOptions): Promise<ExecHandle> {
    const container = this.#container(serverId);
    const execId = randomUUID();
    let exec: Docker.Exec;
    let stream: NodeJS.ReadWriteStream;
    try {
      exec = await container.exec({
        Cmd: options.command,
        Env: Object.entries({ ...options.env, [EXEC_MARKER]: execId }).map(
          ([key, value]) => `${key}=${value}`,
        ),
        ...(options.user ? { User: options.user } : {}),
        ...(options.cwd ? { WorkingDir: options.cwd } : {}),
        Tty: true,
        AttachStdin: true,
        AttachStdout: true,
        AttachStderr: true,
        DetachKeys: DETACH_KEYS,
      });
      stream = (await exec.start({
        hijack: true,
        stdin: true,
        Detach: false,
        Tty: true,
      })) as NodeJS.ReadWriteStream;
    } catch (error) {
      if (dockerStatus(error) === 409) {
        throw new DriverError("CONFLICT", `Server ${serverId} is not running`, { cause: error });
      }
      throw this.#error(error, `run a command in server ${serverId}`, serverId);
    }
    const log = this.#log.child({ serverId, execId: exec.id });
    const signal = async (name: NodeJS.Signals) => {
      if (!(await exec.inspect().catch(() => null))?.Running) return;
      await signalExec(container, {
        execId,
        ...(options.user ? { user: options.user } : {}),
        signal: name,
        log,
      }).catch((error: unknown) => {
        throw toDriverError(error, `send ${name} to a process in server ${serverId}`);
      });
    };
    const handle = new ExecStreamHandle(
      stream,
      {
        log,
        resize: (cols, rows) => exec.resize({ w: cols, h: rows }),
        exit: async () => {
          // The stream can end a moment before the engine records the exit code.
          for (let attempt = 0; attempt < 50; attempt++) {
            const info = await exec.inspect();
            if (!info.Running) {
              const exitCode = typeof info.ExitCode === "number" ? info.ExitCode : null;
              return toExitInfo(exitCode, null);
            }
            await delay(20);
          }
          return { exitCode: null, signal: null, oomKilled: false };
        },
      },
      signal,
    );
    if (options.cols && options.rows) handle.resize(options.cols, options.rows);
    return handle;
  }

  async stats(serverId: string): Promise<ServerStats | null> {
    const info = await this.#inspectRaw(serverId);
    if (!info?.State.Running) return null;
    try {
      const raw = (await this.#container(serverId).stats({
        stream: false,
      })) as Docker.ContainerStats;
      return toServerStats(raw);
    } catch (error) {
      if (dockerStatus(error) === 404) return null;
      throw toDriverError(error, `read stats of server ${serverId}`);
    }
  }

  async list(): Promise<string[]> {
    try {
      const containers = await this.#docker.listContainers({
        all: true,
        filters: { label: [SERVER_LABEL] },
      });
      const ids = containers
        .map((container) => container.Labels?.[SERVER_LABEL])
        .filter((id): id is string => typeof id === "string" && id.length > 0);
      return [...new Set(ids)];
    } catch (error) {
      throw toDriverError(error, "list servers");
    }
  }

  /** The container's address on its Docker network, or null when it has none (or is gone). */
  async address(serverId: string): Promise<string | null> {
    const network = (await this.#inspectRaw(serverId))?.NetworkSettings;
    if (!network) return null;
    // Older engines also report the default network's address at the top level.
    const legacy = (network as { IPAddress?: string }).IPAddress;
    if (legacy) return legacy;
    const first = Object.values(network.Networks ?? {}).find((n) => n.IPAddress);
    return first?.IPAddress ?? null;
  }

  #container(serverId: string): Docker.Container {
    return this.#docker.getContainer(containerName(serverId));
  }

  async #inspectRaw(serverId: string): Promise<Docker.ContainerInspectInfo | null> {
    try {
      return await this.#container(serverId).inspect();
    } catch (error) {
      if (dockerStatus(error) === 404) return null;
      throw toDriverError(error, `inspect server ${serverId}`);
    }
  }

  /** Sends a signal; `false` when the container was not running (nothing to signal). */
  async #signal(container: Docker.Container, serverId: string, signal: string): Promise<boolean> {
    try {
      await container.kill({ signal });
      return true;
    } catch (error) {
      if (dockerStatus(error) === 409) return false; // "is not running"
      throw this.#error(error, `send ${signal} to server ${serverId}`, serverId);
    }
  }

  async #waitNotRunning(
    container: Docker.Container,
    serverId: string,
    timeoutMs: number,
  ): Promise<boolean> {
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), Math.max(0, timeoutMs));
    try {
      await container.wait({ condition: "not-running", abortSignal: abort.signal });
      return true;
    } catch (error) {
      if (abort.signal.aborted) return false;
      if (dockerStatus(error) === 404) return true; // removed meanwhile: certainly not running
      throw toDriverError(error, `wait for server ${serverId}`);
    } finally {
      clearTimeout(timer);
    }
  }

  #error(error: unknown, action: string, serverId: string): DriverError {
    return toDriverError(error, action, {
      notFound: `Server ${serverId} has no container on this node`,
    });
  }

  /** The folder must exist (Docker would create it as root) and be writable by the server's user. */
  async #prepareDataDir(dataDir: string): Promise<void> {
    const dir = path.resolve(dataDir);
    try {
      await mkdir(dir, { recursive: true });
      const [uid, gid] = this.#defaults.user.split(":").map((part) => Number(part));
      if (uid === undefined || !Number.isInteger(uid)) return;
      const owner = { uid, gid: gid !== undefined && Number.isInteger(gid) ? gid : uid };
      const current = await stat(dir);
      if (current.uid === owner.uid && current.gid === owner.gid) return;
      if (process.getuid?.() === 0) {
        await chown(dir, owner.uid, owner.gid);
      } else {
        this.#log.warn(
          { dataDir: dir, owner },
          "data folder is not owned by the container user and the agent is not root to change that",
        );
      }
    } catch (error) {
      throw new DriverError("FAILED", `Cannot prepare data folder ${dir}: ${String(error)}`, {
        cause: error,
      });
    }
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
