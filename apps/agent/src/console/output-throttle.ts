// Flood control for one server's console: counts lines and bytes per fixed window. A write that
// would pass either limit is dropped, and so is everything else until the window ends. The first
// such drop starts an episode (reported once); the episode ends when a window passes within the
// limits (including a window with no output at all).
import { utf8Bytes } from "./ring-buffer";

export interface OutputThrottleOptions {
  windowMs?: number;
  maxLines?: number;
  maxBytes?: number;
}

export interface ThrottleDecision {
  /** Pass the write on; otherwise drop it. */
  accepted: boolean;
  /** This write began a throttling episode: tell viewers once. */
  episodeStarted: boolean;
}

export const DEFAULT_THROTTLE_WINDOW_MS = 100;
export const DEFAULT_THROTTLE_MAX_LINES = 2000;
export const DEFAULT_THROTTLE_MAX_BYTES = 512 * 1024;

function countLines(text: string): number {
  let lines = 0;
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) lines += 1;
  return lines;
}

export class OutputThrottle {
  readonly windowMs: number;
  readonly maxLines: number;
  readonly maxBytes: number;
  private windowStart = Number.NEGATIVE_INFINITY;
  private lines = 0;
  private bytes = 0;
  private windowExceeded = false;
  private inEpisode = false;
  private episodes = 0;
  private droppedBytesTotal = 0;

  constructor({
    windowMs = DEFAULT_THROTTLE_WINDOW_MS,
    maxLines = DEFAULT_THROTTLE_MAX_LINES,
    maxBytes = DEFAULT_THROTTLE_MAX_BYTES,
  }: OutputThrottleOptions = {}) {
    if (!(windowMs > 0) || !(maxLines > 0) || !(maxBytes > 0)) {
      throw new RangeError("windowMs, maxLines and maxBytes must be positive");
    }
    this.windowMs = windowMs;
    this.maxLines = maxLines;
    this.maxBytes = maxBytes;
  }

  /** Inside a throttling episode. */
  get throttled(): boolean {
    return this.inEpisode;
  }

  /** Episodes started so far. */
  get episodeCount(): number {
    return this.episodes;
  }

  /** UTF-8 bytes dropped so far. */
  get droppedBytes(): number {
    return this.droppedBytesTotal;
  }

  /** Decides about one write made at `now` (ms). */
  check(text: string, now: number): ThrottleDecision {
    if (now >= this.windowStart + this.windowMs) {
      const quietWindowBetween = now >= this.windowStart + 2 * this.windowMs;
      if (!this.windowExceeded || quietWindowBetween) this.inEpisode = false;
      this.windowStart = now;
      this.lines = 0;
      this.bytes = 0;
      this.windowExceeded = false;
    }
    const bytes = utf8Bytes(text);
    if (!this.windowExceeded) {
      const lines = countLines(text);
      if (this.lines + lines <= this.maxLines && this.bytes + bytes <= this.maxBytes) {
        this.lines += lines;
        this.bytes += bytes;
        return { accepted: true, episodeStarted: false };
      }
      this.windowExceeded = true;
    }
    this.droppedBytesTotal += bytes;
    if (this.inEpisode) return { accepted: false, episodeStarted: false };
    this.inEpisode = true;
    this.episodes += 1;
    return { accepted: false, episodeStarted: true };
  }
}
