// A ProcessHandle over a hijacked Engine API connection (attach or exec with a TTY: one raw byte
// stream each way, no stdout/stderr multiplexing).
import { StringDecoder } from "node:string_decoder";
import type { Logger } from "pino";
import type { Disposable, ExecHandle, ExitInfo, ProcessHandle } from "../driver";

/** Output kept for the first `onData` listener when it subscribes after output arrived. */
const EARLY_OUTPUT_LIMIT = 64 * 1024;

export interface StreamHandleHooks {
  resize(cols: number, rows: number): Promise<unknown>;
  /** Called once the connection ends by itself: resolves with how the process exited. */
  exit(): Promise<ExitInfo>;
  log: Logger;
}

export class StreamHandle implements ProcessHandle {
  readonly #stream: NodeJS.ReadWriteStream & { destroy(): void };
  readonly #hooks: StreamHandleHooks;
  readonly #decoder = new StringDecoder("utf8");
  readonly #dataListeners = new Set<(chunk: string) => void>();
  readonly #exitListeners = new Set<(exit: ExitInfo) => void>();
  #early: string[] = [];
  #earlyLength = 0;
  #exit: ExitInfo | null = null;
  #ended = false;
  #closed = false;

  constructor(stream: NodeJS.ReadWriteStream, hooks: StreamHandleHooks) {
    this.#stream = stream as NodeJS.ReadWriteStream & { destroy(): void };
    this.#hooks = hooks;
    // Always read, listener or not: an attach that is not drained can stall the server's output.
    stream.on("data", (chunk: Buffer | string) => {
      this.#emit(typeof chunk === "string" ? chunk : this.#decoder.write(chunk));
    });
    stream.on("error", (error: Error) => {
      hooks.log.debug({ err: error }, "console stream error");
    });
    stream.once("close", () => this.#onEnd());
    stream.once("end", () => this.#onEnd());
  }

  onData(listener: (chunk: string) => void): Disposable {
    this.#dataListeners.add(listener);
    if (this.#early.length > 0) {
      const early = this.#early.join("");
      this.#early = [];
      this.#earlyLength = 0;
      listener(early);
    }
    return { dispose: () => this.#dataListeners.delete(listener) };
  }

  onExit(listener: (exit: ExitInfo) => void): Disposable {
    const exit = this.#exit;
    if (exit) {
      // Subscribed after the fact: still told, but never synchronously inside onExit().
      let disposed = false;
      queueMicrotask(() => {
        if (!disposed) listener(exit);
      });
      return { dispose: () => (disposed = true) };
    }
    this.#exitListeners.add(listener);
    return { dispose: () => this.#exitListeners.delete(listener) };
  }

  write(data: string): void {
    if (this.#ended || this.#closed) return;
    this.#stream.write(data);
  }

  resize(cols: number, rows: number): void {
    if (this.#ended || this.#closed) return;
    if (!Number.isInteger(cols) || !Number.isInteger(rows) || cols <= 0 || rows <= 0) return;
    this.#hooks.resize(cols, rows).catch((error: unknown) => {
      // Resizing a process that is not running (yet or any more) fails; nothing to do about it.
      this.#hooks.log.debug({ err: error, cols, rows }, "resize failed");
    });
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#dataListeners.clear();
    this.#exitListeners.clear();
    this.#stream.destroy();
  }

  #emit(chunk: string): void {
    if (chunk.length === 0) return;
    if (this.#dataListeners.size === 0) {
      this.#early.push(chunk);
      this.#earlyLength += chunk.length;
      while (this.#earlyLength > EARLY_OUTPUT_LIMIT && this.#early.length > 1) {
        this.#earlyLength -= this.#early.shift()!.length;
      }
      return;
    }
    for (const listener of this.#dataListeners) listener(chunk);
  }

  #onEnd(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#emit(this.#decoder.end());
    if (this.#closed) return;
    this.#hooks
      .exit()
      .catch((error: unknown): ExitInfo => {
        this.#hooks.log.warn({ err: error }, "could not read the exit status");
        return { exitCode: null, signal: null, oomKilled: false };
      })
      .then((exit) => {
        this.#exit = exit;
        if (this.#closed) return;
        const listeners = [...this.#exitListeners];
        this.#exitListeners.clear();
        for (const listener of listeners) listener(exit);
      });
  }
}

/** An exec's handle: a StreamHandle that can also signal the exec'd process. */
export class ExecStreamHandle extends StreamHandle implements ExecHandle {
  readonly #signal: (signal: NodeJS.Signals) => Promise<void>;

  constructor(
    stream: NodeJS.ReadWriteStream,
    hooks: StreamHandleHooks,
    signal: (signal: NodeJS.Signals) => Promise<void>,
  ) {
    super(stream, hooks);
    this.#signal = signal;
  }

  signal(signal: NodeJS.Signals): Promise<void> {
    return this.#signal(signal);
  }
}
