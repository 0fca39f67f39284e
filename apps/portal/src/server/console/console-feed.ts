// One browser's view of one console on this portal: a ConsoleViewer (bounded, drop-oldest, gap
// frames) fed with the agent's replay and live frames, and a sender that writes console:data only
// while the browser's socket has drained its write buffer and its access to the server is fresh.
// A slow browser therefore loses its oldest output; nothing here ever waits on the agent link.
import {
  ConsoleViewer,
  ViewerQueue,
  type ConsoleFrame,
  type ConsoleOutput,
  type ConsoleRef,
  type ConsoleReplay,
  type ViewerQueueOptions,
} from "@berth/protocol";

/** The part of a browser socket a feed writes to. */
export interface ViewerTransport {
  readonly id: string;
  /** Whether the socket's outgoing buffer is empty, so another batch may be written now. */
  drained(): boolean;
  /** Calls `listener` once, the next time the outgoing buffer empties. */
  whenDrained(listener: () => void): void;
  send(batch: ConsoleOutput): void;
  joinRoom(room: string): void;
  leaveRoom(room: string): void;
}

export type AccessVerdict = "allowed" | "denied" | "unknown";

/** Whether the browser may still see this server's output. */
export interface FeedGate {
  /** True while a positive check is fresh. */
  allowed(): boolean;
  /** Checks again; "unknown" when the check itself failed (e.g. the database did not answer). */
  recheck(): Promise<AccessVerdict>;
}

export interface FeedLimits {
  queue?: ViewerQueueOptions;
  /** A console:data batch holds at most this many frames… */
  maxBatchFrames?: number;
  /** …and stops growing once it holds this many characters. */
  maxBatchChars?: number;
  /** Wait before asking again when an access check failed to answer. */
  recheckRetryMs?: number;
}

export interface ConsoleFeedOptions extends FeedLimits {
  ref: ConsoleRef;
  transport: ViewerTransport;
  gate: FeedGate;
  /** Called once when the gate says access lapsed; the owner removes the feed. */
  onRevoked: () => void;
}

let nextViewerId = 1;

export class ConsoleFeed {
  readonly ref: ConsoleRef;
  readonly transport: ViewerTransport;
  private readonly gate: FeedGate;
  private readonly onRevoked: () => void;
  private readonly queueOptions: ViewerQueueOptions;
  private readonly maxBatchFrames: number;
  private readonly maxBatchChars: number;
  private readonly recheckRetryMs: number;

  private viewer: ConsoleViewer | null = null;
  private runId: string | null = null;
  /** Live frames that arrive while the agent's replay for this feed is still on its way. */
  private early: { runId: string; queue: ViewerQueue } | null = null;
  private scheduled = false;
  private waitingForDrain = false;
  private rechecking = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(options: ConsoleFeedOptions) {
    this.ref = options.ref;
    this.transport = options.transport;
    this.gate = options.gate;
    this.onRevoked = options.onRevoked;
    this.queueOptions = options.queue ?? {};
    this.maxBatchFrames = options.maxBatchFrames ?? 64;
    this.maxBatchChars = options.maxBatchChars ?? 64 * 1024;
    this.recheckRetryMs = options.recheckRetryMs ?? 1000;
  }

  get started(): boolean {
    return this.viewer !== null;
  }

  /** Bytes waiting here for the browser. */
  get heldBytes(): number {
    return (this.viewer?.queue.bytes ?? 0) + (this.early?.queue.bytes ?? 0);
  }

  get droppedFrames(): number {
    return this.viewer?.queue.droppedFrames ?? 0;
  }

  /** Starts output with the agent's replay for this browser, then whatever arrived meanwhile. */
  start(replay: ConsoleReplay): void {
    if (this.closed) return;
    const startSeq = replay.frames[0]?.fromSeq ?? replay.toSeq;
    this.begin(replay.runId, startSeq);
    this.apply(replay.frames);
    const early = this.early;
    this.early = null;
    if (early?.runId === replay.runId)
      for (const frame of early.queue.take()) this.viewer!.offer(frame);
  }

  /** Frames of run `runId`, possibly overlapping what this feed already has. */
  offer(runId: string, frames: readonly ConsoleFrame[]): void {
    if (this.closed) return;
    if (!this.viewer) {
      if (this.early?.runId !== runId)
        this.early = { runId, queue: new ViewerQueue(this.queueOptions) };
      for (const frame of frames) if (frame.kind === "output") this.early.queue.push(frame);
      return;
    }
    // A new run (the agent restarted, the shell is new) numbers from 0 again.
    if (runId !== this.runId) this.begin(runId, 0);
    this.apply(frames);
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.retryTimer);
    this.viewer?.clear();
    this.early = null;
  }

  private begin(runId: string, startSeq: number): void {
    this.viewer?.clear();
    this.runId = runId;
    this.viewer = new ConsoleViewer(
      nextViewerId++,
      startSeq,
      () => this.schedule(),
      this.queueOptions,
    );
  }

  private apply(frames: readonly ConsoleFrame[]): void {
    const viewer = this.viewer!;
    for (const frame of frames) {
      if (frame.kind === "output") viewer.offer(frame);
      else viewer.skipTo(frame.toSeq);
    }
  }

  /** Sends once the current burst of offers is queued, so one agent batch becomes one emit. */
  private schedule(): void {
    if (this.scheduled || this.closed) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    const viewer = this.viewer;
    if (this.closed || !viewer) return;
    while (viewer.queue.length > 0) {
      if (!this.gate.allowed()) return this.recheck();
      if (!this.transport.drained()) return this.waitForDrain();
      const frames = this.takeBatch(viewer);
      if (frames.length === 0) return;
      this.transport.send({
        serverId: this.ref.serverId,
        terminalId: this.ref.terminalId,
        runId: this.runId!,
        frames,
      });
    }
  }

  private takeBatch(viewer: ConsoleViewer): ConsoleFrame[] {
    const batch: ConsoleFrame[] = [];
    let chars = 0;
    while (batch.length < this.maxBatchFrames && chars < this.maxBatchChars) {
      const taken = viewer.take(1);
      if (taken.length === 0) break;
      for (const frame of taken) chars += frame.data.length;
      batch.push(...taken);
    }
    return batch;
  }

  private waitForDrain(): void {
    if (this.waitingForDrain) return;
    this.waitingForDrain = true;
    this.transport.whenDrained(() => {
      this.waitingForDrain = false;
      this.schedule();
    });
  }

  private recheck(): void {
    if (this.rechecking) return;
    this.rechecking = true;
    void this.gate.recheck().then((verdict) => {
      this.rechecking = false;
      if (this.closed) return;
      if (verdict === "denied") {
        this.close();
        this.onRevoked();
      } else if (verdict === "unknown") {
        this.retryTimer = setTimeout(() => this.schedule(), this.recheckRetryMs);
        this.retryTimer.unref?.();
      } else this.schedule();
    });
  }
}
