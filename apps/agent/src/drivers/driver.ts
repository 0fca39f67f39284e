// The driver interface: mechanics only. A driver runs, observes and tears down one process (or
// container) per server. It knows nothing about crashes, restarts, users or the portal; the
// per-server instance (policy) decides what to do with what a driver reports.

export type DriverName = "docker" | "process";

export interface PortMapping {
  hostPort: number;
  containerPort: number;
  protocol: "tcp" | "udp";
}

export interface ServerLimits {
  memoryMb: number;
  /** 100 = one full core. */
  cpuPercent: number;
  /** Maximum number of processes/threads. */
  pids: number;
}

/** A host folder shown read-only inside the container (the process driver has no use for it). */
export interface ReadOnlyMount {
  source: string;
  target: string;
}

/** Everything a driver needs to create a server's process; resolved by the agent, not the driver. */
export interface ServerSpec {
  serverId: string;
  /** Container image (the process driver ignores it). */
  image: string;
  /** argv of the startup command, variables already substituted. */
  command: string[];
  env: Record<string, string>;
  /** Host folder that holds the server's data; mounted at `workdir` in containers. */
  dataDir: string;
  /** Working directory inside the container (the process driver runs in `dataDir`). */
  workdir: string;
  limits: ServerLimits;
  ports: PortMapping[];
  /** Linux capabilities added back after dropping all (e.g. "NET_BIND_SERVICE"). */
  capabilities: string[];
  /** Host folders mounted read-only into the container. */
  mounts?: ReadOnlyMount[];
  /** Extra labels, e.g. { "berth.test": "1" } so tests can clean up what they made. */
  labels?: Record<string, string>;
}

export interface ProcessState {
  exists: boolean;
  running: boolean;
  /** Set once the process has exited. */
  exitCode: number | null;
  /** Name of the signal that ended the process, e.g. "SIGKILL", when known. */
  signal: string | null;
  oomKilled: boolean;
  startedAt: Date | null;
  finishedAt: Date | null;
}

/** What `inspect` returns for a server the driver does not know. */
export const NO_PROCESS: Readonly<ProcessState> = Object.freeze({
  exists: false,
  running: false,
  exitCode: null,
  signal: null,
  oomKilled: false,
  startedAt: null,
  finishedAt: null,
});

export interface ExitInfo {
  exitCode: number | null;
  signal: string | null;
  oomKilled: boolean;
}

export interface Disposable {
  dispose(): void;
}

/** A live stream to a server's console or an exec'd process. */
export interface ProcessHandle {
  onData(listener: (chunk: string) => void): Disposable;
  /** Fires once when the process behind the handle exits (for attach: the server's process). */
  onExit(listener: (exit: ExitInfo) => void): Disposable;
  write(data: string): void;
  resize(cols: number, rows: number): void;
  /** Detaches this handle; the process keeps running. */
  close(): void;
}

/** A process run beside the server's (exec). Closing the handle detaches; it does not end it. */
export interface ExecHandle extends ProcessHandle {
  /**
   * Sends `signal` to the exec'd process itself (not to the server's process, nor to what the
   * exec'd process started). Resolves once sent; a process that has already exited is no error.
   */
  signal(signal: NodeJS.Signals): Promise<void>;
}

export interface ExecOptions {
  command: string[];
  env?: Record<string, string>;
  user?: string;
  cwd?: string;
  cols?: number;
  rows?: number;
}

export interface ServerStats {
  cpuPercent: number;
  memoryBytes: number;
  memoryLimitBytes: number;
  rxBytes: number;
  txBytes: number;
}

export interface StopOptions {
  signal: NodeJS.Signals;
  /** How long to wait for the process to exit after the signal. */
  timeoutMs: number;
}

export class DriverError extends Error {
  constructor(
    readonly code: "NOT_FOUND" | "CONFLICT" | "UNAVAILABLE" | "FAILED",
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(message, options);
    this.name = "DriverError";
  }
}

export interface Driver {
  readonly name: DriverName;
  /** Creates the server's container/process record without starting it. Idempotent per serverId. */
  create(spec: ServerSpec): Promise<void>;
  /** `exists: false` (never throws NOT_FOUND) for a server the driver does not know. */
  inspect(serverId: string): Promise<ProcessState>;
  /** Starts a created or exited server; a running one is left as it is. */
  start(serverId: string): Promise<void>;
  /** Sends `signal` and waits up to `timeoutMs` for the exit; resolves `true` if it exited. */
  stop(serverId: string, options: StopOptions): Promise<boolean>;
  /** SIGKILL, and waits for the exit. */
  kill(serverId: string): Promise<void>;
  /** Removes the container/process record (kills it first if running). Data folders stay. */
  destroy(serverId: string): Promise<void>;
  /** Attaches to the server's console (TTY). Attach before `start` to see the first output. */
  attach(serverId: string): Promise<ProcessHandle>;
  /** Runs another process beside the server's (shells), with its own TTY. */
  exec(serverId: string, options: ExecOptions): Promise<ExecHandle>;
  /** Current usage, or null when the server is not running. */
  stats(serverId: string): Promise<ServerStats | null>;
  /** Ids of every server this driver currently holds (containers by label, live processes). */
  list(): Promise<string[]>;
}
