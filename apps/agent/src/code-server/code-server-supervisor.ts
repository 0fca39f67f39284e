// One dev server's code-server: started when the server runs (while wanted), found again after an
// agent restart by scanning the container's processes, checked every few seconds and started
// again when it died. Mechanics (what runs in the container) live in commands.ts; the host runs
// them, so this is tested with a fake host and a fake clock.
import {
  fail,
  ok,
  type CodeServerAction,
  type CodeServerStatus,
  type Result,
} from "@berth/protocol";
import type { Logger } from "pino";
import type { CommandOutcome } from "../drivers/run-command";
import type { Clock, TimerHandle } from "../instance/clock";
import {
  healthCommand,
  launchCommand,
  logTailCommand,
  parseScan,
  scanCommand,
  stopCommand,
  type CodeServerLayout,
} from "./commands";

/** Runs a command in the server's container, as the dev user, with the dev environment. */
export type CodeServerHost = (command: string[], timeoutMs: number) => Promise<CommandOutcome>;

export interface CodeServerTimings {
  /** How long a start may take before it counts as failed. */
  startTimeoutMs: number;
  /** Between health polls while starting. */
  pollMs: number;
  /** Between liveness scans while running. */
  checkEveryMs: number;
  /** Restarts after deaths within this window that make it give up (`failed`). */
  restartWindowMs: number;
  maxRestarts: number;
  stopGraceSeconds: number;
}

export const DEFAULT_CODE_SERVER_TIMINGS: CodeServerTimings = {
  startTimeoutMs: 45_000,
  pollMs: 250,
  checkEveryMs: 5_000,
  restartWindowMs: 60_000,
  maxRestarts: 3,
  stopGraceSeconds: 5,
};

const COMMAND_TIMEOUT_MS = 15_000;

/** Whether code-server should run while its server runs; kept where an agent restart finds it. */
export interface CodeServerWish {
  get(): Promise<boolean>;
  set(wanted: boolean): Promise<void>;
}

/** A wish that lives as long as the supervisor (tests). */
export function wishInMemory(initial = true): CodeServerWish {
  let wanted = initial;
  return {
    get: async () => wanted,
    set: async (value) => {
      wanted = value;
    },
  };
}

export interface CodeServerSupervisorOptions {
  serverId: string;
  layout: CodeServerLayout;
  host: CodeServerHost;
  clock: Clock;
  log: Logger;
  onStatus: (status: CodeServerStatus) => void;
  /** A stop holds it stopped until a start, across agent restarts. */
  wish?: CodeServerWish;
  timings?: Partial<CodeServerTimings>;
}

export class CodeServerSupervisor {
  private current: CodeServerStatus;
  private readonly wish: CodeServerWish;
  private serverRunning = false;
  private check: TimerHandle | null = null;
  private deaths: number[] = [];
  private queue: Promise<unknown> = Promise.resolve();
  private disposed = false;
  private readonly timings: CodeServerTimings;

  constructor(private readonly options: CodeServerSupervisorOptions) {
    this.timings = { ...DEFAULT_CODE_SERVER_TIMINGS, ...options.timings };
    this.wish = options.wish ?? wishInMemory();
    this.current = { state: "stopped", since: options.clock.now(), message: null };
  }

  get status(): CodeServerStatus {
    return this.current;
  }

  /** The server's process is running: take over a code-server that runs, or start one. */
  serverUp(): Promise<CodeServerStatus> {
    this.serverRunning = true;
    return this.serial(async () => {
      if (!this.serverRunning) return this.current;
      try {
        const pids = await this.scan();
        if (pids.length > 0 && (await this.healthy())) {
          this.set("running", null);
          this.scheduleCheck();
          return this.current;
        }
        if (pids.length > 0) await this.kill(pids);
        if (await this.wish.get()) await this.launch();
        else this.set("stopped", "Stopped by its owner");
      } catch (error) {
        this.failed(`code-server could not be checked: ${messageOf(error)}`);
      }
      return this.current;
    });
  }

  /** The server's process is gone, and code-server with it. */
  serverDown(): void {
    this.serverRunning = false;
    this.cancelCheck();
    if (this.current.state !== "stopped") this.set("stopped", "The server is not running");
  }

  act(action: CodeServerAction): Promise<Result<CodeServerStatus>> {
    return this.serial(async () => {
      await this.wish.set(action !== "stop");
      this.deaths = [];
      if (!this.serverRunning) {
        return action === "stop"
          ? ok(this.current)
          : fail("CONFLICT", "Start the server first: code-server runs inside it");
      }
      if (action !== "start" || this.current.state !== "running") {
        this.cancelCheck();
        try {
          const pids = await this.scan();
          if (pids.length > 0) await this.kill(pids);
          if (action === "stop") {
            this.set("stopped", "Stopped by its owner");
            return ok(this.current);
          }
          await this.launch();
        } catch (error) {
          this.failed(
            `code-server could not be ${action === "stop" ? "stopped" : "started"}: ${messageOf(error)}`,
          );
          return fail("CONFLICT", this.current.message ?? "code-server failed");
        }
      }
      return this.current.state === "running"
        ? ok(this.current)
        : fail("CONFLICT", this.current.message ?? "code-server did not start");
    });
  }

  dispose(): void {
    this.disposed = true;
    this.cancelCheck();
  }

  // --- mechanics --------------------------------------------------------------------------------

  private async launch(): Promise<void> {
    this.set("starting", "Starting code-server");
    const { layout } = this.options;
    const started = await this.run(launchCommand(layout));
    if (started.exitCode !== 0) {
      return this.failed(`code-server could not be started: ${lastLine(started.output)}`);
    }
    const deadline = this.options.clock.now() + this.timings.startTimeoutMs;
    while (this.options.clock.now() < deadline) {
      if (!this.serverRunning || this.disposed) return;
      if (await this.healthy()) {
        this.set("running", null);
        this.scheduleCheck();
        return;
      }
      if ((await this.scan()).length === 0) {
        return this.failed(`code-server exited at start: ${await this.logTail()}`);
      }
      await this.sleep(this.timings.pollMs);
    }
    const pids = await this.scan();
    if (pids.length > 0) await this.kill(pids);
    this.failed(
      `code-server did not answer within ${Math.round(this.timings.startTimeoutMs / 1000)} s: ${await this.logTail()}`,
    );
  }

  private failed(message: string): void {
    this.options.log.warn({ reason: message }, "code-server failed");
    this.set("failed", message);
  }

  private scheduleCheck(): void {
    this.cancelCheck();
    if (this.disposed) return;
    this.check = this.options.clock.setTimeout(() => {
      this.check = null;
      void this.serial(() => this.checkAlive());
    }, this.timings.checkEveryMs);
  }

  private cancelCheck(): void {
    if (this.check) this.options.clock.clearTimeout(this.check);
    this.check = null;
  }

  private async checkAlive(): Promise<void> {
    if (!this.serverRunning || this.current.state !== "running") return;
    let pids: number[];
    try {
      pids = await this.scan();
    } catch (error) {
      // The container may be going away; the server's own state change says so.
      this.options.log.debug({ err: error }, "code-server check failed");
      this.scheduleCheck();
      return;
    }
    if (pids.length > 0) {
      this.scheduleCheck();
      return;
    }
    const now = this.options.clock.now();
    this.deaths = [...this.deaths.filter((at) => now - at < this.timings.restartWindowMs), now];
    if (this.deaths.length > this.timings.maxRestarts) {
      return this.failed(
        `code-server keeps exiting (${this.deaths.length} times in ${Math.round(this.timings.restartWindowMs / 1000)} s); start it again when fixed: ${await this.logTail()}`,
      );
    }
    this.options.log.warn("code-server exited; starting it again");
    await this.launch();
  }

  private async scan(): Promise<number[]> {
    const outcome = await this.run(scanCommand(this.options.layout.root));
    return parseScan(outcome.output);
  }

  private async healthy(): Promise<boolean> {
    const outcome = await this.run(healthCommand(this.options.layout.port)).catch(() => null);
    return outcome?.exitCode === 0;
  }

  private async kill(pids: number[]): Promise<void> {
    await this.run(stopCommand(pids, this.timings.stopGraceSeconds));
  }

  private async logTail(): Promise<string> {
    const outcome = await this.run(logTailCommand(this.options.layout.home)).catch(() => null);
    const text = outcome?.output.replace(/\r/g, "").trim() ?? "";
    return text ? text.slice(-400) : "no output";
  }

  private run(command: string[]): Promise<CommandOutcome> {
    return this.options.host(command, COMMAND_TIMEOUT_MS);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.options.clock.setTimeout(resolve, ms));
  }

  private set(state: CodeServerStatus["state"], message: string | null): void {
    if (this.disposed) return;
    if (this.current.state === state && this.current.message === message) return;
    this.current = { state, since: this.options.clock.now(), message };
    this.options.log.info({ state, reason: message }, "code-server state");
    try {
      this.options.onStatus(this.current);
    } catch (error) {
      this.options.log.error({ err: error }, "code-server listener failed");
    }
  }

  /** Actions, checks and server changes run one at a time. */
  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch((error: unknown) => {
      this.options.log.error({ err: error }, "code-server supervision failed");
    });
    return next;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function lastLine(output: string): string {
  const lines = output.replace(/\r/g, "").trim().split("\n");
  return lines.at(-1) || "no output";
}
