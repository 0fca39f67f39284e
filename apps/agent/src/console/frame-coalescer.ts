// Batches console output into frames: at most one per tick while output flows, none (and no timer)
// when idle. Output after a quiet tick goes out at once (a keystroke's echo must not wait for a
// tick); what follows it within the tick waits for the tick's end and goes as one frame.
import type { OutputFrame } from "@berth/protocol";
import type { Clock, TimerHandle } from "../instance/clock";

export type { OutputFrame };

export interface FrameCoalescerOptions {
  clock: Clock;
  onFrame: (frame: OutputFrame) => void;
  /** Time from the first pending write to its frame. */
  tickMs?: number;
  /** A frame never carries more characters; reaching it sends at once. */
  maxFrameChars?: number;
}

export const DEFAULT_TICK_MS = 25;
export const DEFAULT_MAX_FRAME_CHARS = 64 * 1024;

export class FrameCoalescer {
  private readonly clock: Clock;
  private readonly onFrame: (frame: OutputFrame) => void;
  readonly tickMs: number;
  readonly maxFrameChars: number;
  private parts: string[] = [];
  private pendingChars = 0;
  private fromSeq = 0;
  private timer: TimerHandle | undefined;
  private lastFrameAt = Number.NEGATIVE_INFINITY;

  constructor({
    clock,
    onFrame,
    tickMs = DEFAULT_TICK_MS,
    maxFrameChars = DEFAULT_MAX_FRAME_CHARS,
  }: FrameCoalescerOptions) {
    if (!(tickMs > 0)) throw new RangeError("tickMs must be positive");
    if (!Number.isInteger(maxFrameChars) || maxFrameChars < 2) {
      throw new RangeError("maxFrameChars must be an integer of at least 2");
    }
    this.clock = clock;
    this.onFrame = onFrame;
    this.tickMs = tickMs;
    this.maxFrameChars = maxFrameChars;
  }

  /** Characters waiting for the next frame. */
  get pending(): number {
    return this.pendingChars;
  }

  /** Queues `text`, which starts at offset `seq`; output that does not follow on starts a new frame. */
  push(seq: number, text: string): void {
    if (text.length === 0) return;
    if (this.pendingChars > 0 && seq !== this.fromSeq + this.pendingChars) this.flush();
    let offset = 0;
    while (offset < text.length) {
      if (this.pendingChars === 0) this.fromSeq = seq + offset;
      let take = Math.min(text.length - offset, this.maxFrameChars - this.pendingChars);
      const cut = offset + take;
      // Keep a surrogate pair in one frame when the frame has room to give it up.
      if (
        cut < text.length &&
        take > 1 &&
        text.charCodeAt(cut - 1) >= 0xd800 &&
        text.charCodeAt(cut - 1) <= 0xdbff
      ) {
        take -= 1;
      }
      this.parts.push(text.slice(offset, offset + take));
      this.pendingChars += take;
      offset += take;
      if (this.pendingChars >= this.maxFrameChars || offset < text.length) this.flush();
    }
    if (this.pendingChars > 0 && this.timer === undefined) {
      const wait = this.lastFrameAt + this.tickMs - this.clock.now();
      if (wait <= 0) {
        this.flush();
      } else {
        this.timer = this.clock.setTimeout(() => {
          this.timer = undefined;
          this.flush();
        }, wait);
      }
    }
  }

  /** Sends what is pending now (if anything) and stops the timer. */
  flush(): void {
    if (this.timer !== undefined) {
      this.clock.clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.pendingChars === 0) return;
    this.lastFrameAt = this.clock.now();
    const frame: OutputFrame = {
      fromSeq: this.fromSeq,
      toSeq: this.fromSeq + this.pendingChars,
      data: this.parts.join(""),
    };
    this.parts = [];
    this.pendingChars = 0;
    this.onFrame(frame);
  }

  /** Drops pending output and the timer. */
  close(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.parts = [];
    this.pendingChars = 0;
  }
}
