// One terminal tab of a dev server: a shell exec'd beside the server's process, with a console of
// its own. When the shell exits the tab says so in its output and keeps its scrollback until it is
// closed; closing ends the shell for real (an exec outlives a closed connection).
import { fail, ok, type Result, type TerminalInfo } from "@berth/protocol";
import { ConsoleChannel } from "../console/console-channel";
import type { ConsoleHubOptions } from "../console/console-hub";
import type { Disposable, ExecHandle, ExitInfo } from "../drivers/driver";
import { waitFor, type Clock } from "../instance/clock";
import { describeExit } from "../instance/exit-info";
import type { InstanceLog } from "../instance/instance-log";

/** How long a shell gets to go after SIGHUP, and again after SIGKILL. */
export const DEFAULT_CLOSE_GRACE_MS = 2_000;

export interface TerminalOptions {
  terminalId: string;
  title: string;
  handle: ExecHandle;
  clock: Clock;
  log: InstanceLog;
  /** The shell exited (not called for a terminal being closed). */
  onExit: (terminal: Terminal) => void;
  hub?: Omit<ConsoleHubOptions, "clock">;
  closeGraceMs?: number;
}

export class Terminal {
  readonly terminalId: string;
  readonly createdAt: number;
  readonly channel: ConsoleChannel;
  title: string;
  exitCode: number | null = null;
  exited = false;
  readonly #options: TerminalOptions;
  readonly #handle: ExecHandle;
  readonly #subscriptions: Disposable[];
  readonly #exit: Promise<void>;
  #closing: Promise<void> | null = null;

  constructor(options: TerminalOptions) {
    this.#options = options;
    this.terminalId = options.terminalId;
    this.title = options.title;
    this.createdAt = options.clock.now();
    this.#handle = options.handle;
    this.channel = new ConsoleChannel({ ...options.hub, clock: options.clock });
    let exited!: () => void;
    this.#exit = new Promise((resolve) => (exited = resolve));
    this.#subscriptions = [
      this.#handle.onData((chunk) => this.channel.hub.write(chunk)),
      this.#handle.onExit((exit) => {
        this.#ended(exit);
        exited();
      }),
    ];
  }

  info(): TerminalInfo {
    return {
      terminalId: this.terminalId,
      title: this.title,
      createdAt: this.createdAt,
      exitCode: this.exitCode,
      exited: this.exited,
    };
  }

  write(data: string): Result<Record<string, never>> {
    if (this.exited || this.#closing) {
      return fail("CONFLICT", "The shell has exited; open a new terminal");
    }
    this.#handle.write(data);
    return ok({});
  }

  resize(cols: number, rows: number): void {
    if (!this.exited && !this.#closing) this.#handle.resize(cols, rows);
  }

  /** Ends the shell (SIGHUP, as a closed terminal window would; SIGKILL if that is ignored). */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    const grace = this.#options.closeGraceMs ?? DEFAULT_CLOSE_GRACE_MS;
    for (const signal of ["SIGHUP", "SIGKILL"] as const) {
      if (this.exited) break;
      try {
        await this.#handle.signal(signal);
      } catch (error) {
        this.#options.log.warn({ err: error, signal }, "cannot signal a terminal's shell");
      }
      if ((await waitFor(this.#options.clock, this.#exit, grace)).kind === "done") break;
    }
    if (!this.exited) {
      this.#options.log.warn({ terminalId: this.terminalId }, "a terminal's shell did not exit");
    }
    for (const subscription of this.#subscriptions) subscription.dispose();
    this.#handle.close();
    this.channel.close();
  }

  #ended(exit: ExitInfo): void {
    if (this.exited) return;
    const { hub } = this.channel;
    hub.flush();
    hub.notice(`\r\n[berth] shell exited (${describeExit(exit)})\r\n`);
    hub.flush();
    this.exited = true;
    this.exitCode = exit.exitCode;
    if (!this.#closing) this.#options.onExit(this);
  }
}
