// The process driver: each server is a plain host process under a pseudo-terminal (node-pty), for
// machines without a Docker engine and for the embedded default. Mechanics only, like every driver.
//
// Inherent to this driver: the server's processes belong to the agent. Its PTY master lives in the
// agent, so when the agent exits the PTY closes, the server's session gets SIGHUP and dies with it.
// A later agent knows the server (its record is on disk) but finds it stopped, and kills a leftover
// that survived the hang-up; it cannot re-attach to it.
//
// Isolation is what the agent's own user has: no image, no capability dropping, no network
// namespace. Limits without cgroups:
// - memory: one shared watchdog timer samples the RSS of every running server's process tree from
//   /proc and SIGKILLs a server over its limit (reported as oomKilled). It is a sampler, so a fast
//   allocator can overshoot the limit between two samples.
// - CPU: cannot be limited without cgroups; `limits.cpuPercent` is not enforced here.
// - pids: not enforced. `prlimit --nproc` counts every process of the agent's user (not this
//   server's) and does not bind root at all, so it would be a limit in name only.
import { mkdir } from "node:fs/promises";
import { totalmem, userInfo } from "node:os";
import * as pty from "node-pty";
import pino, { type Logger } from "pino";
import {
  DriverError,
  NO_PROCESS,
  type Driver,
  type ExecHandle,
  type ExecOptions,
  type ExitInfo,
  type ProcessHandle,
  type ProcessState,
  type ServerSpec,
  type ServerStats,
  type StopOptions,
} from "./driver";
import { execCwd, isSameUser, terminalSize, type Identity } from "./process/exec-options";
import { ExecFanoutHandle, FanoutHandle, type HandleTarget } from "./process/fanout-handle";
import { createProcReader, type ProcReader, type ProcStat } from "./process/proc-stat";
import { resolveExecutable } from "./process/resolve-executable";
import { exitInfoFromPty } from "./process/signals";
import {
  SAFE_SERVER_ID,
  readRecordFiles,
  removeRecordFile,
  writeRecordFile,
  type ProcessRecordFile,
} from "./process/state-file";
import { UsageSampler, type SampleTarget, type ServerUsage } from "./process/usage-sampler";

export interface ProcessDriverOptions {
  /** Folder for the per-server record files (`<serverId>.json`). */
  stateDir: string;
  log?: Logger;
  /** PATH given to servers unless their env sets one. */
  searchPath?: string;
  /** Watchdog period. Default 250 ms. */
  sampleIntervalMs?: number;
  /** How long `kill` and `destroy` wait for a SIGKILLed server. Default 10 s. */
  killWaitMs?: number;
  /** How processes are read; tests may hand in a fake. */
  procReader?: ProcReader;
}

const MIB = 2 ** 20;
const CONSOLE_COLS = 120;
const CONSOLE_ROWS = 30;
const DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

interface RunState {
  exitCode: number | null;
  signal: string | null;
  oomKilled: boolean;
  startedAt: Date | null;
  finishedAt: Date | null;
}

interface Run {
  pty: pty.IPty;
  pid: number;
  startTicks: number;
  handles: Set<FanoutHandle>;
  /** Session ids of exec'd PTYs that are still alive. */
  execSessions: Set<number>;
  oomKilled: boolean;
  exited: Promise<ExitInfo>;
}

interface Entry {
  spec: ServerSpec;
  state: RunState;
  run: Run | null;
  /** Consoles attached while the server is not running: they belong to its next run. */
  waiting: Set<FanoutHandle>;
  /** Record writes, one after another, so an older state never replaces a newer one. */
  writes: Promise<void>;
}

export class ProcessDriver implements Driver {
  readonly name = "process" as const;
  readonly #stateDir: string;
  readonly #log: Logger;
  readonly #searchPath: string;
  readonly #killWaitMs: number;
  readonly #reader: ProcReader;
  readonly #sampler: UsageSampler;
  readonly #entries = new Map<string, Entry>();
  readonly #me: Identity;
  #loaded: Promise<void> | null = null;

  constructor(options: ProcessDriverOptions) {
    this.#stateDir = options.stateDir;
    this.#log = options.log ?? pino({ enabled: false });
    this.#searchPath = options.searchPath ?? process.env.PATH ?? DEFAULT_PATH;
    this.#killWaitMs = options.killWaitMs ?? 10_000;
    this.#reader = options.procReader ?? createProcReader();
    const me = userInfo();
    this.#me = { username: me.username, uid: me.uid, gid: me.gid };
    this.#sampler = new UsageSampler({
      reader: this.#reader,
      intervalMs: options.sampleIntervalMs ?? 250,
      targets: () => this.#sampleTargets(),
      onUsage: (serverId, usage) => this.#checkMemory(serverId, usage),
    });
  }

  async create(spec: ServerSpec): Promise<void> {
    if (!SAFE_SERVER_ID.test(spec.serverId)) {
      throw new DriverError("FAILED", `Server id ${JSON.stringify(spec.serverId)} is not usable`);
    }
    if (spec.command.length === 0) {
      throw new DriverError("FAILED", `Server ${spec.serverId} has no startup command`);
    }
    await this.#load();
    await mkdir(spec.dataDir, { recursive: true });
    const existing = this.#entries.get(spec.serverId);
    if (existing) {
      // The spec takes effect at the next start, as a recreated container would.
      existing.spec = structuredClone(spec);
      await this.#persist(existing);
      return;
    }
    const entry: Entry = {
      spec: structuredClone(spec),
      state: { exitCode: null, signal: null, oomKilled: false, startedAt: null, finishedAt: null },
      run: null,
      waiting: new Set(),
      writes: Promise.resolve(),
    };
    this.#entries.set(spec.serverId, entry);
    await this.#persist(entry);
    this.#log.info({ serverId: spec.serverId }, "process server created");
  }

  async inspect(serverId: string): Promise<ProcessState> {
    await this.#load();
    const entry = this.#entries.get(serverId);
    if (!entry) return { ...NO_PROCESS };
    return { exists: true, running: entry.run !== null, ...entry.state };
  }

  async start(serverId: string): Promise<void> {
    const entry = await this.#entry(serverId);
    if (entry.run) return;
    const { spec } = entry;
    await mkdir(spec.dataDir, { recursive: true });
    if (entry.run) return; // started meanwhile
    const env = this.#env(spec);
    const [command = "", ...args] = spec.command;
    const file = resolveExecutable(command, env.PATH ?? "", spec.dataDir);
    if (!file) {
      throw new DriverError(
        "FAILED",
        `Cannot start server ${serverId}: ${command} is not an executable on its PATH`,
      );
    }
    let child: pty.IPty;
    try {
      child = pty.spawn(file, args, {
        name: "xterm-256color",
        cols: CONSOLE_COLS,
        rows: CONSOLE_ROWS,
        cwd: spec.dataDir,
        env,
      });
    } catch (error) {
      throw new DriverError("FAILED", `Cannot start server ${serverId}: ${String(error)}`, {
        cause: error,
      });
    }

    let resolveExit!: (exit: ExitInfo) => void;
    const run: Run = {
      pty: child,
      pid: child.pid,
      // The PTY's child leads its own session and process group (setsid), so pid = pgid = sid.
      startTicks: this.#reader.one(child.pid)?.startTicks ?? 0,
      handles: entry.waiting,
      execSessions: new Set(),
      oomKilled: false,
      exited: new Promise((resolve) => (resolveExit = resolve)),
    };
    entry.waiting = new Set();
    entry.run = run;
    entry.state = {
      exitCode: null,
      signal: null,
      oomKilled: false,
      startedAt: new Date(),
      finishedAt: null,
    };
    child.onData((chunk) => {
      for (const handle of run.handles) handle.deliver(chunk);
    });
    child.onExit(({ exitCode, signal }) => {
      const exit = exitInfoFromPty(exitCode, signal ?? 0, run.oomKilled);
      // As with a container whose main process ended: whatever is left of the server goes too.
      this.#signalTree(serverId, run, "SIGKILL");
      if (entry.run === run) entry.run = null;
      this.#sampler.forget(serverId);
      entry.state = { ...entry.state, ...exit, finishedAt: new Date() };
      this.#log.info({ serverId, ...exit }, "process server exited");
      for (const handle of run.handles) handle.finish(exit);
      run.handles.clear();
      resolveExit(exit);
      void this.#persist(entry);
    });
    this.#sampler.wake();
    this.#log.info({ serverId, pid: run.pid }, "process server started");
    await this.#persist(entry);
  }

  async stop(serverId: string, { signal, timeoutMs }: StopOptions): Promise<boolean> {
    const entry = await this.#entry(serverId);
    const run = entry.run;
    if (!run) return true;
    signalGroup(run.pid, signal);
    return (await withTimeout(run.exited, timeoutMs)) !== null;
  }

  async kill(serverId: string): Promise<void> {
    const entry = await this.#entry(serverId);
    await this.#kill(serverId, entry);
  }

  async destroy(serverId: string): Promise<void> {
    await this.#load();
    const entry = this.#entries.get(serverId);
    if (!entry) return;
    await this.#kill(serverId, entry);
    this.#entries.delete(serverId);
    for (const handle of entry.waiting) handle.close();
    entry.waiting.clear();
    await entry.writes;
    await removeRecordFile(this.#stateDir, serverId);
    this.#log.info({ serverId }, "process server destroyed");
  }

  async attach(serverId: string): Promise<ProcessHandle> {
    const entry = await this.#entry(serverId);
    const target: HandleTarget = {
      write: (data) => entry.run?.pty.write(data),
      resize: (cols, rows) => resizePty(entry.run?.pty, cols, rows),
      detach: (handle) => {
        entry.waiting.delete(handle);
        entry.run?.handles.delete(handle);
      },
      listenerFailed: (error) => this.#log.warn({ serverId, err: error }, "console listener threw"),
    };
    const handle = new FanoutHandle(target);
    (entry.run?.handles ?? entry.waiting).add(handle);
    return handle;
  }

  async exec(serverId: string, options: ExecOptions): Promise<ExecHandle> {
    const entry = await this.#entry(serverId);
    const run = entry.run;
    if (!run) throw new DriverError("CONFLICT", `Server ${serverId} is not running`);
    if (options.user !== undefined && !isSameUser(options.user, this.#me)) {
      throw new DriverError(
        "FAILED",
        `The process driver runs everything as the agent's user (${this.#me.username}); ` +
          `it cannot run a command as ${options.user}`,
      );
    }
    const env = { ...this.#env(entry.spec), ...options.env };
    const cwd = execCwd(entry.spec, options.cwd);
    const [command = "", ...args] = options.command;
    const file = resolveExecutable(command, env.PATH ?? "", cwd);
    if (!file) {
      throw new DriverError("FAILED", `${command || "(empty)"} is not an executable on the PATH`);
    }
    const size = terminalSize(options.cols ?? 80, options.rows ?? 24) ?? { cols: 80, rows: 24 };
    let child: pty.IPty;
    try {
      child = pty.spawn(file, args, { name: "xterm-256color", ...size, cwd, env });
    } catch (error) {
      throw new DriverError("FAILED", `Cannot run ${command} in server ${serverId}`, {
        cause: error,
      });
    }
    run.execSessions.add(child.pid);
    const handle = new ExecFanoutHandle(
      {
        write: (data) => child.write(data),
        resize: (cols, rows) => resizePty(child, cols, rows),
        detach: () => undefined,
        listenerFailed: (error) => this.#log.warn({ serverId, err: error }, "exec listener threw"),
      },
      (signal) => {
        try {
          process.kill(child.pid, signal);
        } catch {
          // already gone
        }
      },
    );
    child.onData((chunk) => handle.deliver(chunk));
    child.onExit(({ exitCode, signal }) => {
      run.execSessions.delete(child.pid);
      handle.finish(exitInfoFromPty(exitCode, signal ?? 0, false));
    });
    return handle;
  }

  async stats(serverId: string): Promise<ServerStats | null> {
    const entry = await this.#entry(serverId);
    if (!entry.run) return null;
    let usage = this.#sampler.usage(serverId);
    // No sample yet, or one taken in the instant before the new PTY child had its own session.
    if (!usage || usage.processes === 0) {
      this.#sampler.sampleNow();
      usage = this.#sampler.usage(serverId);
    }
    if (!entry.run) return null; // the sample may have found it over its limit
    return {
      cpuPercent: usage?.cpuPercent ?? 0,
      memoryBytes: usage?.rssBytes ?? 0,
      memoryLimitBytes: memoryLimitBytes(entry.spec) || totalmem(),
      // Servers share the host's network stack; without a network namespace there is no
      // per-server interface whose counters could be read.
      rxBytes: 0,
      txBytes: 0,
    };
  }

  async list(): Promise<string[]> {
    await this.#load();
    return [...this.#entries.keys()];
  }

  /** Stops the watchdog timer (the servers' processes are not touched). */
  close(): void {
    this.#sampler.stop();
  }

  async #entry(serverId: string): Promise<Entry> {
    await this.#load();
    const entry = this.#entries.get(serverId);
    if (!entry) {
      throw new DriverError("NOT_FOUND", `Server ${serverId} is not known to this node`);
    }
    return entry;
  }

  async #kill(serverId: string, entry: Entry): Promise<void> {
    const run = entry.run;
    if (!run) return;
    this.#signalTree(serverId, run, "SIGKILL");
    if ((await withTimeout(run.exited, this.#killWaitMs)) === null) {
      throw new DriverError(
        "FAILED",
        `Server ${serverId} did not exit within ${this.#killWaitMs} ms of SIGKILL`,
      );
    }
  }

  /**
   * Signals the server's process group and every other process of its tree: those found now, and
   * those of the latest sample that are still the same processes (a descendant that moved to a
   * session of its own and lost its parent is found only that way).
   */
  #signalTree(serverId: string, run: Run, signal: NodeJS.Signals): void {
    signalGroup(run.pid, signal);
    for (const session of run.execSessions) signalGroup(session, signal);
    const targets = new Map<number, ProcStat>();
    for (const member of this.#sampler.membersNow([run.pid, ...run.execSessions])) {
      targets.set(member.pid, member);
    }
    for (const member of this.#sampler.knownMembers(serverId)) {
      if (targets.has(member.pid)) continue;
      const fresh = this.#reader.one(member.pid);
      if (fresh && fresh.startTicks === member.startTicks) targets.set(member.pid, fresh);
    }
    for (const member of targets.values()) {
      if (member.state === "Z") continue;
      try {
        process.kill(member.pid, signal);
      } catch {
        // already gone
      }
    }
  }

  #sampleTargets(): Map<string, SampleTarget> {
    const targets = new Map<string, SampleTarget>();
    for (const [serverId, entry] of this.#entries) {
      const run = entry.run;
      if (!run) continue;
      targets.set(serverId, {
        sessions: [run.pid, ...run.execSessions],
        memoryLimitBytes: memoryLimitBytes(entry.spec),
      });
    }
    return targets;
  }

  #checkMemory(serverId: string, usage: ServerUsage): void {
    const entry = this.#entries.get(serverId);
    const run = entry?.run;
    if (!entry || !run || run.oomKilled) return;
    const limit = memoryLimitBytes(entry.spec);
    if (limit <= 0 || usage.rssBytes <= limit) return;
    run.oomKilled = true;
    this.#log.warn(
      { serverId, rssBytes: usage.rssBytes, limitBytes: limit },
      "process server over its memory limit, killing it",
    );
    this.#signalTree(serverId, run, "SIGKILL");
  }

  #env(spec: ServerSpec): Record<string, string> {
    return {
      PATH: this.#searchPath,
      HOME: spec.dataDir,
      TERM: "xterm-256color",
      ...spec.env,
    };
  }

  #persist(entry: Entry): Promise<void> {
    const run = entry.run;
    const record: ProcessRecordFile = {
      version: 1,
      spec: entry.spec,
      state: {
        exitCode: entry.state.exitCode,
        signal: entry.state.signal,
        oomKilled: entry.state.oomKilled,
        startedAt: entry.state.startedAt?.toISOString() ?? null,
        finishedAt: entry.state.finishedAt?.toISOString() ?? null,
      },
      run: run ? { pid: run.pid, startTicks: run.startTicks } : null,
    };
    const serverId = entry.spec.serverId;
    const write = entry.writes.then(async () => {
      if (this.#entries.get(serverId) !== entry) return; // destroyed meanwhile
      await writeRecordFile(this.#stateDir, record);
    });
    entry.writes = write.catch((error: unknown) =>
      this.#log.error({ serverId, err: error }, "cannot write the server's record"),
    );
    return write;
  }

  /** Reads the records an earlier agent left, once. */
  #load(): Promise<void> {
    this.#loaded ??= this.#readRecords();
    return this.#loaded;
  }

  async #readRecords(): Promise<void> {
    const records = await readRecordFiles(this.#stateDir, (file, error) =>
      this.#log.warn({ file, err: error }, "ignoring an unreadable server record"),
    );
    for (const record of records) {
      const serverId = record.spec.serverId;
      const state: RunState = {
        exitCode: record.state.exitCode,
        signal: record.state.signal,
        oomKilled: record.state.oomKilled,
        startedAt: record.state.startedAt ? new Date(record.state.startedAt) : null,
        finishedAt: record.state.finishedAt ? new Date(record.state.finishedAt) : null,
      };
      const entry: Entry = {
        spec: record.spec,
        state,
        run: null,
        waiting: new Set(),
        writes: Promise.resolve(),
      };
      this.#entries.set(serverId, entry);
      if (record.run) {
        // It ran under an earlier agent. Its outcome is unknown; a leftover (same pid and start
        // time, so not a reused pid) cannot be attached to again and is killed.
        const leftover = this.#reader.one(record.run.pid);
        if (leftover && leftover.startTicks === record.run.startTicks) {
          signalGroup(record.run.pid, "SIGKILL");
          this.#log.warn({ serverId, pid: record.run.pid }, "killed a leftover server process");
        }
        entry.state = { ...state, finishedAt: state.finishedAt ?? new Date() };
        await this.#persist(entry);
      }
    }
  }
}

function memoryLimitBytes(spec: ServerSpec): number {
  return spec.limits.memoryMb > 0 ? spec.limits.memoryMb * MIB : 0;
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // The group is gone (ESRCH).
  }
}

function resizePty(target: pty.IPty | undefined, cols: number, rows: number): void {
  const size = terminalSize(cols, rows);
  if (!target || !size) return;
  try {
    target.resize(size.cols, size.rows);
  } catch {
    // The PTY closed in the meantime.
  }
}

/** The promise's value, or null if it did not settle within `ms`. */
async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), ms)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
