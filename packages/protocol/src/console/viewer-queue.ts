// One viewer's outgoing frames, bounded by count and bytes. A full queue drops its oldest frames
// (counted), so a slow viewer loses old output instead of holding up the server or the others.
import { utf8Bytes, type OutputFrame } from "./frames";

export interface ViewerQueueOptions {
  maxFrames?: number;
  maxBytes?: number;
}

export const DEFAULT_VIEWER_MAX_FRAMES = 256;
export const DEFAULT_VIEWER_MAX_BYTES = 1024 * 1024;

interface Entry {
  frame: OutputFrame;
  bytes: number;
}

export class ViewerQueue {
  readonly maxFrames: number;
  readonly maxBytes: number;
  private entries: Entry[] = [];
  private head = 0;
  private held = 0;
  private droppedFrameCount = 0;
  private droppedByteCount = 0;

  constructor({
    maxFrames = DEFAULT_VIEWER_MAX_FRAMES,
    maxBytes = DEFAULT_VIEWER_MAX_BYTES,
  }: ViewerQueueOptions = {}) {
    if (!Number.isInteger(maxFrames) || maxFrames < 1 || !(maxBytes > 0)) {
      throw new RangeError("maxFrames must be a positive integer and maxBytes positive");
    }
    this.maxFrames = maxFrames;
    this.maxBytes = maxBytes;
  }

  get length(): number {
    return this.entries.length - this.head;
  }

  /** UTF-8 bytes held; never above `maxBytes`. */
  get bytes(): number {
    return this.held;
  }

  get droppedFrames(): number {
    return this.droppedFrameCount;
  }

  get droppedBytes(): number {
    return this.droppedByteCount;
  }

  /** Adds a frame, dropping the oldest ones to make room; a frame larger than `maxBytes` is dropped. */
  push(frame: OutputFrame, bytes = utf8Bytes(frame.data)): void {
    if (bytes > this.maxBytes) {
      this.dropOne(bytes);
      return;
    }
    while (
      this.length > 0 &&
      (this.length >= this.maxFrames || this.held + bytes > this.maxBytes)
    ) {
      const oldest = this.entries[this.head]!;
      this.head += 1;
      this.held -= oldest.bytes;
      this.dropOne(oldest.bytes);
    }
    this.entries.push({ frame, bytes });
    this.held += bytes;
    if (this.head > 64 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
  }

  /** Removes and returns up to `max` of the oldest frames. */
  take(max = Number.POSITIVE_INFINITY): OutputFrame[] {
    const stop = Math.min(this.entries.length, this.head + max);
    const taken = this.entries.slice(this.head, stop);
    this.head = stop;
    for (const entry of taken) this.held -= entry.bytes;
    if (this.head === this.entries.length) {
      this.entries = [];
      this.head = 0;
    }
    return taken.map((entry) => entry.frame);
  }

  clear(): void {
    this.entries = [];
    this.head = 0;
    this.held = 0;
  }

  private dropOne(bytes: number): void {
    this.droppedFrameCount += 1;
    this.droppedByteCount += bytes;
  }
}
