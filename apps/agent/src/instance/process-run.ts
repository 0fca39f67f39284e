import type { Disposable, ExitInfo, ProcessHandle } from "../drivers/driver";
import type { ConsoleLines } from "./console-lines";

export interface ProcessRunListeners {
  /** The console's raw output, as it arrives. */
  onOutput(chunk: string): void;
  onLine(line: string): void;
  onExit(exit: ExitInfo): void;
}

/**
 * One life of a server's process as seen through an attached console: output in, one exit out.
 * Closing it detaches from the console (the process keeps running) and silences the listeners.
 */
export class ProcessRun {
  /** Resolves when the process exits; never rejects, and never resolves after `close()`. */
  readonly exited: Promise<ExitInfo>;
  exit: ExitInfo | null = null;
  closed = false;
  private resolveExit!: (exit: ExitInfo) => void;
  private readonly subscriptions: Disposable[];

  constructor(
    private readonly handle: ProcessHandle,
    readonly lines: ConsoleLines,
    public startedAt: number,
    listeners: ProcessRunListeners,
  ) {
    this.exited = new Promise((resolve) => (this.resolveExit = resolve));
    this.subscriptions = [
      handle.onData((chunk) => {
        if (this.closed) return;
        listeners.onOutput(chunk);
        for (const line of lines.push(chunk)) listeners.onLine(line);
      }),
      handle.onExit((exit) => {
        if (this.closed || this.exit) return;
        this.exit = exit;
        this.resolveExit(exit);
        listeners.onExit(exit);
      }),
    ];
  }

  /** True while attached to a process that has not been seen to exit. */
  get live(): boolean {
    return !this.closed && this.exit === null;
  }

  write(data: string): void {
    this.handle.write(data);
  }

  resize(cols: number, rows: number): void {
    this.handle.resize(cols, rows);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const s of this.subscriptions) s.dispose();
    this.handle.close();
  }
}
