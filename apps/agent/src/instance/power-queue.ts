// One power action at a time per server, first come first served, with one way to jump the line.
//
// Rules:
// - `enqueue` runs actions one after another in arrival order. An action starts only when no other
//   action (queued or preempting) and no abandoned action is still running.
// - Coalescing: a request of the same kind as the request at the tail of the queue (one that has
//   not started yet) shares that request's result instead of queueing a second copy, so a double
//   click on Stop stops once. A request of the same kind as the action already running is queued
//   normally; it runs afterwards and usually answers with "already …".
// - `preempt` (kill) does not wait: it aborts the signal of every running action (their waits end
//   early and they settle as interrupted), cancels every queued action (each settles with the
//   `cancelled` result), and starts at once. A second preempt of the same kind while the first is
//   running shares its result. Actions enqueued after a preempt wait for it and for the actions
//   it abandoned.
// - Bounded: while `maxWaiting` actions wait, a new one is refused at once with the `full` result
//   (a coalesced request is not refused: it adds nothing).
// - Every promise settles with a result; a job that throws settles with the `failed` result.
// - `close` aborts and cancels everything; later requests settle as cancelled at once.
// - Reasons are phrases that finish a sentence ("by a kill"); a running action finds its reason in
//   `signal.reason`.

export type Job<T> = (signal: AbortSignal, abandoned: Promise<void>) => Promise<T>;

export interface PowerQueueOptions<K extends string, T> {
  /** The result of an action that never ran. */
  cancelled(kind: K, reason: string): T;
  /** The result of an action whose job threw. */
  failed(kind: K, error: unknown): T;
  /** The result of an action refused because the queue is full. */
  full(kind: K): T;
  /** Most actions waiting at once (default 8). */
  maxWaiting?: number;
}

interface Waiting<K, T> {
  kind: K;
  job: Job<T>;
  promise: Promise<T>;
  resolve(result: T): void;
}

interface Active<K, T> {
  kind: K;
  preemptive: boolean;
  controller: AbortController;
  promise: Promise<T>;
}

export class PowerQueue<K extends string, T> {
  private readonly waiting: Waiting<K, T>[] = [];
  private readonly active = new Set<Active<K, T>>();
  private closedReason: string | null = null;

  constructor(private readonly options: PowerQueueOptions<K, T>) {}

  /** Kinds of the actions running now (more than one only while a preempt overlaps). */
  get running(): K[] {
    return [...this.active].map((a) => a.kind);
  }

  /** Kinds of the actions waiting their turn, oldest first. */
  get queued(): K[] {
    return this.waiting.map((w) => w.kind);
  }

  enqueue(kind: K, job: Job<T>): Promise<T> {
    if (this.closedReason !== null) {
      return Promise.resolve(this.options.cancelled(kind, this.closedReason));
    }
    const tail = this.waiting.at(-1);
    if (tail?.kind === kind) return tail.promise;
    if (this.waiting.length >= (this.options.maxWaiting ?? 8)) {
      return Promise.resolve(this.options.full(kind));
    }
    let resolve!: (result: T) => void;
    const promise = new Promise<T>((r) => (resolve = r));
    this.waiting.push({ kind, job, promise, resolve });
    this.drain();
    return promise;
  }

  preempt(kind: K, job: Job<T>): Promise<T> {
    if (this.closedReason !== null) {
      return Promise.resolve(this.options.cancelled(kind, this.closedReason));
    }
    for (const a of this.active) if (a.preemptive && a.kind === kind) return a.promise;
    const abandoned = this.abortAll(`by a ${kind}`);
    return this.launch(kind, job, abandoned, true);
  }

  close(reason: string): void {
    if (this.closedReason !== null) return;
    this.closedReason = reason;
    void this.abortAll(reason);
  }

  private abortAll(reason: string): Promise<void> {
    const abandoned = [...this.active].map((a) => {
      a.controller.abort(reason);
      return a.promise;
    });
    for (const w of this.waiting.splice(0)) w.resolve(this.options.cancelled(w.kind, reason));
    return Promise.all(abandoned).then(() => undefined);
  }

  private drain(): void {
    if (this.active.size > 0) return;
    const next = this.waiting.shift();
    if (!next) return;
    void this.launch(next.kind, next.job, Promise.resolve(), false).then(next.resolve);
  }

  private launch(kind: K, job: Job<T>, abandoned: Promise<void>, preemptive: boolean): Promise<T> {
    const controller = new AbortController();
    let started: Promise<T>;
    try {
      started = job(controller.signal, abandoned);
    } catch (error) {
      started = Promise.reject(error);
    }
    const promise = started.catch((error: unknown) => this.options.failed(kind, error));
    const entry: Active<K, T> = { kind, preemptive, controller, promise };
    this.active.add(entry);
    void promise.then(() => {
      this.active.delete(entry);
      this.drain();
    });
    return promise;
  }
}
