// Test support: an in-memory Driver whose processes a test controls (output, exits, stubbornness).
import {
  NO_PROCESS,
  DriverError,
  type Disposable,
  type Driver,
  type DriverName,
  type ExecHandle,
  type ExecOptions,
  type ExitInfo,
  type ProcessHandle,
  type ProcessState,
  type ServerSpec,
  type ServerStats,
  type StopOptions,
} from "../drivers/driver";
import { waitFor, type Clock } from "./clock";

type Method = Exclude<keyof Driver, "name">;

/** A process exec'd beside a fake server: a test prints for it and decides how it takes signals. */
export class FakeExec implements ExecHandle {
  readonly input: string[] = [];
  readonly signals: NodeJS.Signals[] = [];
  readonly sizes: Array<[number, number]> = [];
  /** SIGHUP is ignored (only SIGKILL ends it). */
  ignoreHangup = false;
  exit: ExitInfo | null = null;
  closed = false;
  private readonly dataListeners = new Set<(chunk: string) => void>();
  private readonly exitListeners = new Set<(exit: ExitInfo) => void>();

  constructor(
    readonly serverId: string,
    readonly options: ExecOptions,
  ) {}

  onData(listener: (chunk: string) => void): Disposable {
    this.dataListeners.add(listener);
    return { dispose: () => this.dataListeners.delete(listener) };
  }

  onExit(listener: (exit: ExitInfo) => void): Disposable {
    this.exitListeners.add(listener);
    return { dispose: () => this.exitListeners.delete(listener) };
  }

  write(data: string): void {
    this.input.push(data);
  }

  resize(cols: number, rows: number): void {
    this.sizes.push([cols, rows]);
  }

  close(): void {
    this.closed = true;
    this.dataListeners.clear();
    this.exitListeners.clear();
  }

  async signal(signal: NodeJS.Signals): Promise<void> {
    this.signals.push(signal);
    if (signal === "SIGKILL" || (signal === "SIGHUP" && !this.ignoreHangup)) {
      this.finish({ exitCode: null, signal, oomKilled: false });
    }
  }

  /** Prints to the exec's console. */
  emit(chunk: string): void {
    for (const listener of [...this.dataListeners]) listener(chunk);
  }

  /** The process ends (once). */
  finish(exit: ExitInfo): void {
    if (this.exit) return;
    this.exit = exit;
    for (const listener of [...this.exitListeners]) listener(exit);
  }
}

export interface FakeCall {
  method: Method | "write";
  serverId: string;
  /** Clock time when the call was made. */
  at: number;
  detail?: unknown;
}

class FakeHandle implements ProcessHandle {
  private readonly dataListeners = new Set<(chunk: string) => void>();
  private readonly exitListeners = new Set<(exit: ExitInfo) => void>();
  closed = false;

  constructor(
    private readonly process: FakeProcess,
    private readonly onWrite: (data: string) => void,
  ) {}

  onData(listener: (chunk: string) => void): Disposable {
    this.dataListeners.add(listener);
    return { dispose: () => this.dataListeners.delete(listener) };
  }

  onExit(listener: (exit: ExitInfo) => void): Disposable {
    this.exitListeners.add(listener);
    return { dispose: () => this.exitListeners.delete(listener) };
  }

  write(data: string): void {
    if (this.closed) throw new Error("write to a closed handle");
    this.onWrite(data);
    this.process.input.push(data);
    this.process.onInput?.(data);
  }

  resize(cols: number, rows: number): void {
    this.process.sizes.push([cols, rows]);
  }

  close(): void {
    this.closed = true;
    this.process.detach(this);
  }

  data(chunk: string): void {
    for (const listener of [...this.dataListeners]) listener(chunk);
  }

  exited(exit: ExitInfo): void {
    for (const listener of [...this.exitListeners]) listener(exit);
  }
}

export class FakeProcess {
  running = false;
  exitCode: number | null = null;
  signal: string | null = null;
  oomKilled = false;
  startedAt: Date | null = null;
  finishedAt: Date | null = null;
  /** SIGTERM is ignored (the driver's stop waits its whole timeout and reports false). */
  ignoreSigterm = false;
  /** Console exit events wait for `flushExitEvents()`: a console may report after the driver. */
  deferExitEvents = false;
  /** Everything written to the console. */
  readonly input: string[] = [];
  /** Every console resize, as [cols, rows]. */
  readonly sizes: Array<[number, number]> = [];
  /** Processes exec'd beside this one; they end with it, as in a container. */
  readonly execs: FakeExec[] = [];
  onInput: ((data: string) => void) | null = null;
  private readonly handles = new Set<FakeHandle>();
  private readonly deferred: Array<{ handles: FakeHandle[]; exit: ExitInfo }> = [];
  private exitWaiters: Array<() => void> = [];

  constructor(
    private readonly clock: Clock,
    readonly spec: ServerSpec | null,
  ) {}

  /** Number of consoles attached now. */
  get attached(): number {
    return this.handles.size;
  }

  /** Prints to every attached console. */
  emit(chunk: string): void {
    for (const h of [...this.handles]) h.data(chunk);
  }

  /** The process exits if `line` is written to its console. */
  exitOnInput(line: string, exit: Partial<ExitInfo> = { exitCode: 0 }): void {
    this.onInput = (data) => {
      if (data === line) this.exit(exit);
    };
  }

  /** Ends the process (no-op unless running) and tells the attached consoles. */
  exit({ exitCode = null, signal = null, oomKilled = false }: Partial<ExitInfo> = {}): void {
    if (!this.running) return;
    const exit = {
      exitCode: signal === null && exitCode === null ? 0 : exitCode,
      signal,
      oomKilled,
    };
    this.running = false;
    this.exitCode = exit.exitCode;
    this.signal = signal;
    this.oomKilled = oomKilled;
    this.finishedAt = new Date(this.clock.now());
    for (const wake of this.exitWaiters.splice(0)) wake();
    for (const exec of this.execs.splice(0)) {
      exec.finish({ exitCode: null, signal: "SIGKILL", oomKilled: false });
    }
    // A console reports one exit: the one after it attached.
    const handles = [...this.handles];
    this.handles.clear();
    if (this.deferExitEvents) this.deferred.push({ handles, exit });
    else for (const h of handles) h.exited(exit);
  }

  flushExitEvents(): void {
    for (const { handles, exit } of this.deferred.splice(0))
      for (const h of handles) h.exited(exit);
  }

  begin(): void {
    if (this.running) return;
    this.running = true;
    this.exitCode = null;
    this.signal = null;
    this.oomKilled = false;
    this.startedAt = new Date(this.clock.now());
    this.finishedAt = null;
  }

  attach(onWrite: (data: string) => void): FakeHandle {
    const handle = new FakeHandle(this, onWrite);
    this.handles.add(handle);
    return handle;
  }

  detach(handle: FakeHandle): void {
    this.handles.delete(handle);
  }

  /** Resolves at the next exit (at once if not running). */
  whenExited(): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => this.exitWaiters.push(resolve));
  }

  state(): ProcessState {
    return {
      exists: true,
      running: this.running,
      exitCode: this.exitCode,
      signal: this.signal,
      oomKilled: this.oomKilled,
      startedAt: this.startedAt,
      finishedAt: this.finishedAt,
    };
  }
}

export class FakeDriver implements Driver {
  readonly calls: FakeCall[] = [];
  /** Every exec'd process, in order. */
  readonly execs: FakeExec[] = [];
  private readonly processes = new Map<string, FakeProcess>();
  private readonly failures = new Map<Method, Error>();
  private readonly holds = new Map<Method, Promise<void>>();

  constructor(
    private readonly clock: Clock,
    /** Which driver this one stands in for. */
    readonly name: DriverName = "process",
  ) {}

  /** The process of a created server. */
  process(serverId: string): FakeProcess {
    const p = this.processes.get(serverId);
    if (!p) throw new Error(`fake driver: no server ${serverId}`);
    return p;
  }

  /** A server whose process is already running, as an agent finds it after restarting. */
  seedRunning(serverId: string): FakeProcess {
    const p = new FakeProcess(this.clock, null);
    p.begin();
    this.processes.set(serverId, p);
    return p;
  }

  /** The next call of `method` rejects with `error`. */
  failNext(method: Method, error: Error = new DriverError("FAILED", `${method} failed`)): void {
    this.failures.set(method, error);
  }

  /** The next call of `method` waits until the returned function is called. */
  hold(method: Method): () => void {
    let release!: () => void;
    this.holds.set(method, new Promise<void>((resolve) => (release = resolve)));
    return () => release();
  }

  /** Calls of the given methods, in order. */
  callsOf(...methods: FakeCall["method"][]): FakeCall[] {
    return this.calls.filter((c) => methods.includes(c.method));
  }

  async create(spec: ServerSpec): Promise<void> {
    await this.enter("create", spec.serverId);
    if (!this.processes.has(spec.serverId)) {
      this.processes.set(spec.serverId, new FakeProcess(this.clock, spec));
    }
  }

  async inspect(serverId: string): Promise<ProcessState> {
    await this.enter("inspect", serverId);
    const p = this.processes.get(serverId);
    if (p) return p.state();
    return { ...NO_PROCESS };
  }

  async start(serverId: string): Promise<void> {
    await this.enter("start", serverId);
    this.need(serverId).begin();
  }

  async stop(serverId: string, options: StopOptions): Promise<boolean> {
    await this.enter("stop", serverId, options);
    const p = this.need(serverId);
    if (!p.running) return true;
    if (options.signal === "SIGTERM" && p.ignoreSigterm) {
      await waitFor(this.clock, p.whenExited(), options.timeoutMs);
      return !p.running;
    }
    p.exit({ signal: options.signal });
    return true;
  }

  async kill(serverId: string): Promise<void> {
    await this.enter("kill", serverId);
    this.processes.get(serverId)?.exit({ signal: "SIGKILL" });
  }

  async destroy(serverId: string): Promise<void> {
    await this.enter("destroy", serverId);
    this.processes.get(serverId)?.exit({ signal: "SIGKILL" });
    this.processes.delete(serverId);
  }

  async attach(serverId: string): Promise<ProcessHandle> {
    await this.enter("attach", serverId);
    return this.need(serverId).attach((data) =>
      this.calls.push({ method: "write", serverId, at: this.clock.now(), detail: data }),
    );
  }

  async exec(serverId: string, options: ExecOptions): Promise<ExecHandle> {
    await this.enter("exec", serverId, options);
    if (!this.need(serverId).running) {
      throw new DriverError("CONFLICT", `Server ${serverId} is not running`);
    }
    const exec = new FakeExec(serverId, options);
    this.execs.push(exec);
    this.need(serverId).execs.push(exec);
    return exec;
  }

  async stats(serverId: string): Promise<ServerStats | null> {
    await this.enter("stats", serverId);
    if (!this.processes.get(serverId)?.running) return null;
    return { cpuPercent: 0, memoryBytes: 0, memoryLimitBytes: 0, rxBytes: 0, txBytes: 0 };
  }

  async list(): Promise<string[]> {
    await this.enter("list", "");
    return [...this.processes.keys()];
  }

  private need(serverId: string): FakeProcess {
    const p = this.processes.get(serverId);
    if (!p) throw new DriverError("NOT_FOUND", `No server ${serverId}`);
    return p;
  }

  private async enter(method: Method, serverId: string, detail?: unknown): Promise<void> {
    this.calls.push({ method, serverId, at: this.clock.now(), ...(detail ? { detail } : {}) });
    const held = this.holds.get(method);
    if (held) {
      this.holds.delete(method);
      await held;
    }
    const failure = this.failures.get(method);
    if (failure) {
      this.failures.delete(method);
      throw failure;
    }
  }
}
