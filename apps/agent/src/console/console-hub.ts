// One console (a server's own, or a terminal's): output from the process passes the throttle, lands
// in the scrollback and is coalesced into frames that fan out to every viewer's bounded queue. A
// new viewer first gets the scrollback (from the offset it last saw, if any), then live frames; each
// character once, in order.
// Memory is bounded by the options whatever the process prints: scrollback capacity, one frame
// being coalesced, and each viewer's queue.
import type { Clock } from "../instance/clock";
import {
  ConsoleViewer,
  GAP_NOTICE,
  type ConsoleFrame,
  type OutputFrame,
  type ViewerQueueOptions,
} from "@berth/protocol";
import { FrameCoalescer } from "./frame-coalescer";
import { OutputThrottle, type OutputThrottleOptions } from "./output-throttle";
import { RingBuffer, type RingBufferOptions } from "./ring-buffer";

/** Written into the stream (so replays show it too) when a throttling episode begins. */
export const THROTTLE_NOTICE = "\r\n[berth] output throttled\r\n";
export { ConsoleViewer, GAP_NOTICE };

export interface ConsoleHubOptions {
  clock: Clock;
  scrollback?: RingBufferOptions;
  throttle?: OutputThrottleOptions;
  viewerQueue?: ViewerQueueOptions;
  tickMs?: number;
  maxFrameChars?: number;
}

export interface AddViewerOptions {
  /** The offset just past the last character this viewer already has (a frame's `toSeq`). */
  resumeFromSeq?: number;
  /** Called when the viewer's queue goes from empty to non-empty; it must not block. */
  onReadable?: () => void;
  /** This viewer's queue bounds instead of the hub's. */
  queue?: ViewerQueueOptions;
}

export class ConsoleHub {
  private readonly clock: Clock;
  private readonly ring: RingBuffer;
  private readonly throttle: OutputThrottle;
  private readonly coalescer: FrameCoalescer;
  private readonly viewerQueue: ViewerQueueOptions;
  private readonly viewers = new Set<ConsoleViewer>();
  private nextViewerId = 1;

  constructor({
    clock,
    scrollback,
    throttle,
    viewerQueue = {},
    tickMs,
    maxFrameChars,
  }: ConsoleHubOptions) {
    this.clock = clock;
    this.ring = new RingBuffer(scrollback);
    this.throttle = new OutputThrottle(throttle);
    this.viewerQueue = viewerQueue;
    this.coalescer = new FrameCoalescer({
      clock,
      onFrame: (frame) => this.fanOut(frame),
      ...(tickMs === undefined ? {} : { tickMs }),
      ...(maxFrameChars === undefined ? {} : { maxFrameChars }),
    });
  }

  /** Offset just past the last character accepted. */
  get lastSeq(): number {
    return this.ring.lastSeq;
  }

  get viewerCount(): number {
    return this.viewers.size;
  }

  get throttled(): boolean {
    return this.throttle.throttled;
  }

  /** What the hub holds: scrollback, the frame being coalesced (upper bound) and every queue. */
  get heldBytes(): number {
    let bytes = this.ring.bytes + this.coalescer.pending * 3;
    for (const viewer of this.viewers) bytes += viewer.queue.bytes;
    return bytes;
  }

  get scrollbackBytes(): number {
    return this.ring.bytes;
  }

  /** Output from the server's process. Never blocks; a flood is dropped with one notice. */
  write(data: string): void {
    if (data.length === 0) return;
    const decision = this.throttle.check(data, this.clock.now());
    if (decision.episodeStarted) this.accept(THROTTLE_NOTICE);
    if (decision.accepted) this.accept(data);
  }

  /** The agent's own line (e.g. that a shell exited): passes the throttle, so it is never lost. */
  notice(text: string): void {
    if (text.length > 0) this.accept(text);
  }

  addViewer({ resumeFromSeq, onReadable, queue }: AddViewerOptions = {}): ConsoleViewer {
    const viewer = this.viewerFrom(resumeFromSeq, onReadable, queue ?? this.viewerQueue);
    this.viewers.add(viewer);
    return viewer;
  }

  /**
   * The scrollback from `resumeFromSeq` (everything held when absent), as frames with a gap frame
   * where it was evicted, and the offset just past it, without adding a viewer.
   */
  replay(resumeFromSeq?: number): { frames: ConsoleFrame[]; toSeq: number } {
    const viewer = this.viewerFrom(resumeFromSeq, undefined, {
      maxFrames: Number.MAX_SAFE_INTEGER,
      maxBytes: Number.MAX_SAFE_INTEGER,
    });
    return { frames: viewer.take(), toSeq: this.ring.lastSeq };
  }

  removeViewer(viewer: ConsoleViewer): void {
    if (this.viewers.delete(viewer)) viewer.clear();
  }

  /** Sends pending output now (e.g. before the process's exit is reported). */
  flush(): void {
    this.coalescer.flush();
  }

  close(): void {
    this.coalescer.close();
    for (const viewer of this.viewers) viewer.clear();
    this.viewers.clear();
  }

  private viewerFrom(
    resumeFromSeq: number | undefined,
    onReadable: (() => void) | undefined,
    queue: ViewerQueueOptions,
  ): ConsoleViewer {
    const replay = this.ring.since(resumeFromSeq ?? this.ring.firstSeq);
    // A viewer resuming from an evicted offset is told of the gap; one from another run of the hub
    // (an offset past the end) starts over like a new viewer.
    const resumesIntoGap =
      resumeFromSeq !== undefined && replay.gap && resumeFromSeq < replay.fromSeq;
    const start = resumesIntoGap ? resumeFromSeq : replay.fromSeq;
    const viewer = new ConsoleViewer(this.nextViewerId++, start, onReadable, queue);
    let parts: string[] = [];
    let fromSeq = replay.fromSeq;
    let chars = 0;
    const send = () => {
      if (chars === 0) return;
      viewer.offer({ fromSeq, toSeq: fromSeq + chars, data: parts.join("") });
      fromSeq += chars;
      parts = [];
      chars = 0;
    };
    for (const chunk of replay.chunks) {
      if (chars + chunk.text.length > this.coalescer.maxFrameChars) send();
      parts.push(chunk.text);
      chars += chunk.text.length;
    }
    send();
    return viewer;
  }

  private accept(text: string): void {
    const seq = this.ring.append(text);
    this.coalescer.push(seq, text);
  }

  private fanOut(frame: OutputFrame): void {
    for (const viewer of this.viewers) viewer.offer(frame);
  }
}
