import type { Disposable, ExecHandle, ExitInfo, ProcessHandle } from "../driver";

/** What a handle asks of the process it is attached to. */
export interface HandleTarget {
  write(data: string): void;
  resize(cols: number, rows: number): void;
  /** The handle was closed: stop delivering to it. */
  detach(handle: FanoutHandle): void;
  /** A listener threw; the other listeners still get the event. */
  listenerFailed(error: unknown): void;
}

/** Output kept for a handle that has no data listener yet (the newest is kept). */
const PENDING_LIMIT_BYTES = 64 * 1024;

/**
 * One consumer's view of a PTY. Several handles may share one PTY: each gets the output produced
 * after it was attached, and the exit of the run it belongs to, once. Output that arrives before
 * the first `onData` listener is kept (bounded) and handed to that listener, so nothing between
 * `await attach()` and `onData()` is lost.
 */
export class FanoutHandle implements ProcessHandle {
  readonly #target: HandleTarget;
  readonly #dataListeners = new Set<(chunk: string) => void>();
  readonly #exitListeners = new Set<(exit: ExitInfo) => void>();
  #pending: string[] = [];
  #pendingBytes = 0;
  #exit: ExitInfo | null = null;
  #closed = false;

  constructor(target: HandleTarget) {
    this.#target = target;
  }

  get closed(): boolean {
    return this.#closed;
  }

  get exited(): boolean {
    return this.#exit !== null;
  }

  onData(listener: (chunk: string) => void): Disposable {
    if (this.#closed) return { dispose() {} };
    this.#dataListeners.add(listener);
    if (this.#pending.length > 0) {
      const pending = this.#pending.join("");
      this.#pending = [];
      this.#pendingBytes = 0;
      this.#call(listener, pending);
    }
    return { dispose: () => this.#dataListeners.delete(listener) };
  }

  onExit(listener: (exit: ExitInfo) => void): Disposable {
    if (this.#closed) return { dispose() {} };
    const exit = this.#exit;
    if (exit) {
      // Registered after the exit: still told, once, but never synchronously.
      let disposed = false;
      queueMicrotask(() => {
        if (!disposed && !this.#closed) this.#call(listener, exit);
      });
      return { dispose: () => (disposed = true) };
    }
    this.#exitListeners.add(listener);
    return { dispose: () => this.#exitListeners.delete(listener) };
  }

  write(data: string): void {
    if (!this.#closed && !this.#exit) this.#target.write(data);
  }

  resize(cols: number, rows: number): void {
    if (!this.#closed && !this.#exit) this.#target.resize(cols, rows);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#dataListeners.clear();
    this.#exitListeners.clear();
    this.#pending = [];
    this.#pendingBytes = 0;
    this.#target.detach(this);
  }

  /** Called by the owner for each chunk of the PTY's output. */
  deliver(chunk: string): void {
    if (this.#closed || this.#exit) return;
    if (this.#dataListeners.size === 0) {
      this.#pending.push(chunk);
      this.#pendingBytes += chunk.length;
      while (this.#pendingBytes > PENDING_LIMIT_BYTES && this.#pending.length > 1) {
        this.#pendingBytes -= this.#pending.shift()!.length;
      }
      return;
    }
    for (const listener of this.#dataListeners) this.#call(listener, chunk);
  }

  /** Called by the owner once the process behind the handle has exited. */
  finish(exit: ExitInfo): void {
    if (this.#closed || this.#exit) return;
    this.#exit = exit;
    const listeners = [...this.#exitListeners];
    this.#exitListeners.clear();
    for (const listener of listeners) this.#call(listener, exit);
  }

  #call<T>(listener: (value: T) => void, value: T): void {
    try {
      listener(value);
    } catch (error) {
      this.#target.listenerFailed(error);
    }
  }
}

/** An exec'd PTY's handle: a FanoutHandle that can also signal the exec'd process. */
export class ExecFanoutHandle extends FanoutHandle implements ExecHandle {
  readonly #signal: (signal: NodeJS.Signals) => void;

  constructor(target: HandleTarget, signal: (signal: NodeJS.Signals) => void) {
    super(target);
    this.#signal = signal;
  }

  async signal(signal: NodeJS.Signals): Promise<void> {
    if (!this.exited) this.#signal(signal);
  }
}
