import { fail, ok, type ErrorCode, type Result } from "@berth/protocol";
import {
  DriverError,
  type Disposable,
  type Driver,
  type ExitInfo,
  type ProcessHandle,
  type ServerSpec,
} from "../drivers/driver";
import type { Clock } from "./clock";
import { describeExit, exitOf } from "./exit-info";
import { compileDonePattern, ConsoleLines, type CompiledPattern } from "./console-lines";
import type { InstanceLog } from "./instance-log";
import { PowerQueue } from "./power-queue";
import { ProcessRun } from "./process-run";
import { refusalMessage, transition, type ServerEvent, type ServerState } from "./server-state";
import { runStopSequence } from "./stop-sequence";
import { TypedLines } from "./typed-lines";
import {
  DEFAULT_STOP_TIMEOUT_MS,
  DEFAULT_TERM_TIMEOUT_MS,
  type CrashDecision,
  type CrashReport,
  type HangReport,
  type PowerAction,
  type PowerResult,
  type ServerSnapshot,
  type StateChange,
  type TemplatePolicy,
} from "./instance-types";

export interface ServerInstanceOptions {
  serverId: string;
  driver: Driver;
  spec: ServerSpec;
  policy: TemplatePolicy;
  clock: Clock;
  log: InstanceLog;
  onState?: (change: StateChange) => void;
  /** Decides what a crash leads to; asked before the state changes, so the change carries it. */
  superviseCrash?: (crash: CrashReport) => CrashDecision;
  /** A crash, after the state changes it caused. */
  onCrash?: (crash: CrashReport, decision: CrashDecision) => void;
  /** Raw console output of the current process run (never of a run that was replaced). */
  onOutput?: (chunk: string) => void;
  /** Console lines kept for crash reports. */
  logTailLines?: number;
}

const NOT_RUNNING = "The server is not running";

const LABELS: Record<PowerAction, string> = {
  start: "Start",
  stop: "Stop",
  restart: "Restart",
  kill: "Kill",
  adopt: "Adopt",
  install: "Install",
  "auto-restart": "Automatic restart",
  hang: "Killing the hung server",
};

/**
 * One server's policy: its state machine, its power queue, and what its process's output and exit
 * mean. It never restarts a crashed server on its own: the supervisor decides (`superviseCrash`)
 * and later calls `autoRestart()`. Disposing it detaches without stopping anything.
 */
export class ServerInstance {
  readonly serverId: string;
  private readonly driver: Driver;
  private readonly spec: ServerSpec;
  private readonly clock: Clock;
  private readonly log: InstanceLog;
  private readonly options: ServerInstanceOptions;
  private readonly pattern: CompiledPattern;
  private readonly stopTimeoutMs: number;
  private readonly termTimeoutMs: number;
  private readonly queue: PowerQueue<PowerAction, PowerResult>;

  private current: ServerState = "offline";
  private since: number;
  private reason = "created";
  private lastExit: ExitInfo | undefined;
  private restartAt: number | null = null;
  private run: ProcessRun | null = null;
  private typed = new TypedLines();
  private readonly lineWatchers = new Set<(line: string) => void>();
  private disposed = false;

  constructor(options: ServerInstanceOptions) {
    this.options = options;
    this.serverId = options.serverId;
    this.driver = options.driver;
    this.spec = options.spec;
    this.clock = options.clock;
    this.log = options.log;
    this.pattern = compileDonePattern(options.policy.donePattern);
    this.stopTimeoutMs = options.policy.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS;
    this.termTimeoutMs = options.policy.termTimeoutMs ?? DEFAULT_TERM_TIMEOUT_MS;
    this.since = this.clock.now();
    this.queue = new PowerQueue<PowerAction, PowerResult>({
      cancelled: (kind, reason) => fail("CONFLICT", `${LABELS[kind]} was cancelled ${reason}`),
      failed: (kind, error) => {
        this.log.error({ err: error, action: kind }, "power action failed");
        return fail("INTERNAL", `${LABELS[kind]} failed unexpectedly`);
      },
      full: (kind) =>
        fail("TOO_MANY_REQUESTS", `${LABELS[kind]} refused: too many power actions are waiting`),
    });
  }

  get state(): ServerState {
    return this.current;
  }

  snapshot(): ServerSnapshot {
    return {
      serverId: this.serverId,
      state: this.current,
      since: this.since,
      ...(this.lastExit ? { exit: this.lastExit } : {}),
      ...(this.restartAt !== null ? { restartAt: this.restartAt } : {}),
      lastTransitionReason: this.reason,
    };
  }

  start(): Promise<PowerResult> {
    return this.queue.enqueue("start", (signal) => this.startSteps(signal, "start"));
  }

  stop(): Promise<PowerResult> {
    return this.queue.enqueue("stop", (signal) => this.stopSteps(signal, "stop"));
  }

  /** The supervisor's restart of a crashed server; refused in any other state. */
  autoRestart(): Promise<PowerResult> {
    return this.queue.enqueue("auto-restart", (signal) =>
      this.startSteps(signal, "auto-restart", "restart_due"),
    );
  }

  /**
   * Kills a running server that stopped answering its liveness check and records that as a crash
   * (so the restart policy applies). A stop or kill asked for meanwhile wins.
   */
  hang(report: HangReport): Promise<PowerResult> {
    return this.queue.enqueue("hang", (signal) => this.hangSteps(signal, report));
  }

  restart(): Promise<PowerResult> {
    return this.queue.enqueue("restart", async (signal) => {
      if (this.current === "starting" || this.current === "running" || this.current === "error") {
        const stopped = await this.stopSteps(signal, "restart");
        if (!stopped.ok || signal.aborted) return stopped;
      }
      return this.startSteps(signal, "restart");
    });
  }

  /** Skips the queue: whatever is running is abandoned, whatever is queued is cancelled. */
  kill(): Promise<PowerResult> {
    if (!this.disposed && !this.allowed("kill_requested")) {
      return Promise.resolve(this.refuse("kill_requested"));
    }
    return this.queue.preempt("kill", (signal, abandoned) => this.killSteps(signal, abandoned));
  }

  /**
   * For an agent that restarted: if the driver says the process is running, attach to it and call
   * it running, without starting or stopping anything. Otherwise the server stays offline.
   */
  adopt(): Promise<PowerResult> {
    return this.queue.enqueue("adopt", (signal) => this.adoptSteps(signal));
  }

  /** Runs an installer in the server's turn; the server must not be running meanwhile. */
  install(installer: (signal: AbortSignal) => Promise<void>): Promise<PowerResult> {
    return this.queue.enqueue("install", async (signal) => {
      if (!this.apply("install_begin", "install started")) return this.refuse("install_begin");
      try {
        await installer(signal);
      } catch (error) {
        this.apply("install_failed", `install failed: ${messageOf(error)}`);
        return fail("INTERNAL", `Install failed: ${messageOf(error)}`);
      }
      this.apply("install_done", "install finished");
      return ok(this.snapshot());
    });
  }

  /**
   * Console input for the live process; refused when there is none. A line equal to the template's
   * stop command is a stop asked for, recorded before the input reaches the process.
   */
  writeConsole(data: string): Result<Record<string, never>> {
    const run = this.run?.live ? this.run : null;
    if (!run) return fail("CONFLICT", NOT_RUNNING);
    if (this.typesStopCommand(data)) {
      void this.queue.enqueue("stop", (signal) => this.stopSteps(signal, "stop", true));
    }
    run.write(data);
    return ok({});
  }

  /** Every complete console line of the current process run, from now on. */
  watchLines(listener: (line: string) => void): Disposable {
    this.lineWatchers.add(listener);
    return { dispose: () => this.lineWatchers.delete(listener) };
  }

  resizeConsole(cols: number, rows: number): Result<Record<string, never>> {
    const run = this.run?.live ? this.run : null;
    if (!run) return fail("CONFLICT", NOT_RUNNING);
    run.resize(cols, rows);
    return ok({});
  }

  /** Detaches from the console and ends every action; the process keeps running. */
  dispose(): void {
    if (this.disposed) return;
    this.queue.close("because the agent let go of the server");
    this.closeRun();
    this.disposed = true;
  }

  // --- actions --------------------------------------------------------------------------------

  private async startSteps(
    signal: AbortSignal,
    action: PowerAction,
    event: "start_requested" | "restart_due" = "start_requested",
  ): Promise<PowerResult> {
    if (!this.pattern.ok) return fail("BAD_REQUEST", this.pattern.message);
    const reason = event === "restart_due" ? "automatic restart after a crash" : "start requested";
    if (!this.apply(event, reason)) return this.refuse(event);
    this.lastExit = undefined;
    this.closeRun();
    try {
      await this.driver.create(this.spec);
      if (signal.aborted) return interrupted(action, signal);
      // Attach first, so the first line the process prints is seen.
      const handle = await this.driver.attach(this.serverId);
      if (signal.aborted) {
        handle.close();
        return interrupted(action, signal);
      }
      const run = this.openRun(handle, this.clock.now());
      await this.driver.start(this.serverId);
      run.startedAt = this.clock.now();
    } catch (error) {
      if (signal.aborted) return interrupted(action, signal);
      return this.driverFailed(action, error);
    }
    if (signal.aborted) return interrupted(action, signal);
    if (this.current === "starting" && this.pattern.regex === null) {
      this.apply("ready", "process started (no done pattern)");
    }
    return ok(this.snapshot());
  }

  private async stopSteps(
    signal: AbortSignal,
    action: PowerAction,
    typed = false,
  ): Promise<PowerResult> {
    const from = this.current;
    // The state is the record that a stop was asked for: from here on an exit is not a crash.
    const reason = typed ? "stop command typed in the console" : "stop requested";
    if (!this.apply("stop_requested", reason)) return this.refuse("stop_requested");
    if (from === "crashed") return ok(this.snapshot());
    const run = this.run?.live ? this.run : null;
    try {
      if (!run) {
        const found = await this.driver.inspect(this.serverId);
        if (signal.aborted) return interrupted(action, signal);
        if (!found.running) {
          this.settleStopped(exitOf(found));
          return ok(this.snapshot());
        }
      }
      const outcome = await runStopSequence({
        driver: this.driver,
        serverId: this.serverId,
        clock: this.clock,
        log: this.log,
        signal,
        ...(run ? { console: { write: (data) => run.write(data), exited: run.exited } } : {}),
        ...(this.options.policy.stopCommand
          ? { stopCommand: this.options.policy.stopCommand, commandSent: typed }
          : {}),
        stopTimeoutMs: this.stopTimeoutMs,
        termTimeoutMs: this.termTimeoutMs,
      });
      if (outcome.kind === "aborted") return interrupted(action, signal);
      if (this.current === "stopping") {
        // The driver saw the exit before the console reported it.
        const found = await this.driver.inspect(this.serverId);
        this.settleStopped(exitOf(found));
      }
    } catch (error) {
      if (signal.aborted) return interrupted(action, signal);
      return this.driverFailed(action, error);
    }
    return ok(this.snapshot());
  }

  private async killSteps(signal: AbortSignal, abandoned: Promise<void>): Promise<PowerResult> {
    const from = this.current;
    if (!this.apply("kill_requested", "kill requested")) return this.refuse("kill_requested");
    if (from === "crashed") return ok(this.snapshot());
    try {
      await this.killIfAny();
      await abandoned;
      let found = await this.driver.inspect(this.serverId);
      if (found.running) {
        // A start that was already in the driver's hands when the kill came may have landed after it.
        await this.killIfAny();
        found = await this.driver.inspect(this.serverId);
      }
      if (signal.aborted) return interrupted("kill", signal);
      this.settleStopped(exitOf(found));
    } catch (error) {
      if (signal.aborted) return interrupted("kill", signal);
      return this.driverFailed("kill", error);
    }
    return ok(this.snapshot());
  }

  private async hangSteps(signal: AbortSignal, report: HangReport): Promise<PowerResult> {
    const run = this.run?.live ? this.run : null;
    if (this.current !== "running" || !run) return fail("CONFLICT", NOT_RUNNING);
    run.lines.endPartial();
    const logTail = run.lines.tail();
    // The exit that follows is the agent's doing, recorded below as a hang rather than seen.
    this.closeRun();
    let exit: ExitInfo;
    try {
      await this.killIfAny();
      const found = await this.driver.inspect(this.serverId);
      if (signal.aborted) return interrupted("hang", signal);
      exit = exitOf(found) ?? { exitCode: null, signal: "SIGKILL", oomKilled: false };
    } catch (error) {
      if (signal.aborted) return interrupted("hang", signal);
      return this.driverFailed("kill", error);
    }
    this.lastExit = exit;
    const at = this.clock.now();
    this.crashed(
      "liveness_failed",
      {
        serverId: this.serverId,
        exit,
        at,
        uptimeMs: Math.max(0, at - run.startedAt),
        logTail,
        hung: report,
      },
      `stopped answering (${report.detail})`,
    );
    return ok(this.snapshot());
  }

  /** A server the driver has never created has nothing to kill. */
  private async killIfAny(): Promise<void> {
    try {
      await this.driver.kill(this.serverId);
    } catch (error) {
      if (!(error instanceof DriverError && error.code === "NOT_FOUND")) throw error;
    }
  }

  private async adoptSteps(signal: AbortSignal): Promise<PowerResult> {
    if (!this.allowed("adopted")) return this.refuse("adopted");
    try {
      const found = await this.driver.inspect(this.serverId);
      if (signal.aborted) return interrupted("adopt", signal);
      if (!found.running) {
        if (found.exists && found.finishedAt) this.lastExit = exitOf(found);
        return ok(this.snapshot());
      }
      const handle = await this.driver.attach(this.serverId);
      if (signal.aborted) {
        handle.close();
        return interrupted("adopt", signal);
      }
      const run = this.openRun(handle, found.startedAt?.getTime() ?? this.clock.now());
      // The process may have ended between the first look and the attach.
      const again = await this.driver.inspect(this.serverId);
      if (signal.aborted) return interrupted("adopt", signal);
      if (!again.running || !run.live) {
        this.lastExit = run.exit ?? exitOf(again);
        this.closeRun();
        return ok(this.snapshot());
      }
    } catch (error) {
      if (signal.aborted) return interrupted("adopt", signal);
      return this.driverFailed("adopt", error);
    }
    this.apply("adopted", "found running after an agent restart");
    return ok(this.snapshot());
  }

  // --- process events -------------------------------------------------------------------------

  private openRun(handle: ProcessHandle, startedAt: number): ProcessRun {
    this.closeRun();
    this.typed = new TypedLines();
    const run: ProcessRun = new ProcessRun(
      handle,
      new ConsoleLines({ maxLines: this.options.logTailLines ?? 100 }),
      startedAt,
      {
        onOutput: (chunk) => this.onOutput(run, chunk),
        onLine: (line) => this.onLine(run, line),
        onExit: (exit) => this.onExit(run, exit),
      },
    );
    this.run = run;
    return run;
  }

  private closeRun(): void {
    this.run?.close();
    this.run = null;
  }

  private onOutput(run: ProcessRun, chunk: string): void {
    if (run !== this.run || !this.options.onOutput) return;
    try {
      this.options.onOutput(chunk);
    } catch (error) {
      this.log.error({ err: error }, "output listener failed");
    }
  }

  private onLine(run: ProcessRun, line: string): void {
    if (run !== this.run) return;
    for (const watcher of [...this.lineWatchers]) {
      try {
        watcher(line);
      } catch (error) {
        this.log.error({ err: error }, "line watcher failed");
      }
    }
    if (this.current !== "starting") return;
    const regex = this.pattern.ok ? this.pattern.regex : null;
    if (regex?.test(line)) this.apply("ready", `done pattern matched: ${line.slice(0, 200)}`);
  }

  private onExit(run: ProcessRun, exit: ExitInfo): void {
    if (run !== this.run) return;
    this.lastExit = exit;
    this.closeRun();
    const what = describeExit(exit);
    if (this.current === "stopping") {
      this.apply("exited_after_stop", `exited after stop (${what})`);
    } else if (this.current === "starting" || this.current === "running") {
      run.lines.endPartial();
      const at = this.clock.now();
      this.crashed(
        "exited_unexpectedly",
        {
          serverId: this.serverId,
          exit,
          at,
          uptimeMs: Math.max(0, at - run.startedAt),
          logTail: run.lines.tail(),
        },
        `exited unexpectedly (${what})`,
      );
    }
    // Otherwise (offline during an adopt, error) there is nothing to decide; the exit is recorded.
  }

  private settleStopped(exit: ExitInfo | undefined): void {
    if (this.current !== "stopping") return;
    if (exit) this.lastExit = exit;
    this.closeRun();
    this.apply("exited_after_stop", "stopped");
  }

  // --- state ----------------------------------------------------------------------------------

  private allowed(event: ServerEvent): boolean {
    if (transition(this.current, event).ok) return true;
    this.log.warn({ from: this.current, event }, "illegal transition");
    return false;
  }

  /**
   * The one place the state changes. An illegal event is logged and leaves the state as it is.
   * `restartAt` belongs to the new state (a crashed one with a restart scheduled).
   */
  private apply(event: ServerEvent, reason: string, restartAt: number | null = null): boolean {
    if (this.disposed) return false;
    const from = this.current;
    const next = transition(from, event);
    if (!next.ok) {
      this.log.warn({ from, event }, "illegal transition");
      return false;
    }
    const at = this.clock.now();
    this.current = next.to;
    this.since = at;
    this.reason = reason;
    this.restartAt = restartAt;
    this.log.info({ from, to: next.to, event, reason }, "state change");
    try {
      this.options.onState?.({ serverId: this.serverId, from, to: next.to, event, at, reason });
    } catch (error) {
      this.log.error({ err: error }, "state listener failed");
    }
    return true;
  }

  private refuse(event: ServerEvent): PowerResult {
    return fail("CONFLICT", refusalMessage(this.current, event));
  }

  private crashed(
    event: "exited_unexpectedly" | "liveness_failed",
    crash: CrashReport,
    reason: string,
  ): void {
    const decision = this.decide(crash);
    if (!this.apply(event, reason, decision.kind === "restart" ? decision.at : null)) return;
    if (decision.kind === "crash_loop") this.apply("crash_loop", decision.reason);
    try {
      this.options.onCrash?.(crash, decision);
    } catch (error) {
      this.log.error({ err: error }, "crash listener failed");
    }
  }

  private decide(crash: CrashReport): CrashDecision {
    if (!this.options.superviseCrash) return { kind: "none" };
    try {
      return this.options.superviseCrash(crash);
    } catch (error) {
      this.log.error({ err: error }, "crash supervisor failed");
      return { kind: "none" };
    }
  }

  /** Whether console input completes a line that is the template's stop command. */
  private typesStopCommand(data: string): boolean {
    const lines = this.typed.push(data);
    const command = this.options.policy.stopCommand?.trim();
    if (!command || (this.current !== "starting" && this.current !== "running")) return false;
    return lines.some((line) => line.trim() === command);
  }

  private driverFailed(action: PowerAction, error: unknown): PowerResult {
    const message = messageOf(error);
    this.log.error({ err: error, action }, "driver failed");
    this.closeRun();
    this.apply("error", `${action} failed: ${message}`);
    return fail(codeOf(error), `Could not ${action} the server: ${message}`);
  }
}

function interrupted(action: PowerAction, signal: AbortSignal): PowerResult {
  const reason = typeof signal.reason === "string" ? signal.reason : "";
  return fail("CONFLICT", `${LABELS[action]} was interrupted ${reason}`.trim());
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function codeOf(error: unknown): ErrorCode {
  if (error instanceof DriverError && (error.code === "NOT_FOUND" || error.code === "CONFLICT")) {
    return error.code;
  }
  return "INTERNAL";
}
