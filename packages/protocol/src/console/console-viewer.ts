// One viewer of one console: frames are offered in sequence order (possibly overlapping what the
// viewer already has), queued without duplicates in a bounded queue, and taken by the sender with
// a gap frame wherever output was lost. Used by the agent (per watcher of a hub) and the portal
// (per browser socket), so both ends drop old output the same way.
import { GAP_NOTICE, utf8Bytes, type ConsoleFrame, type OutputFrame } from "./frames";
import { ViewerQueue, type ViewerQueueOptions } from "./viewer-queue";

export class ConsoleViewer {
  readonly queue: ViewerQueue;
  /** Offset up to which output has been queued for this viewer. */
  private queuedTo: number;
  /** Offset up to which this viewer has taken output (or been told of a gap). */
  private takenTo: number;

  constructor(
    readonly id: number,
    /** The offset the viewer's output starts at (it has everything before it, or needs none). */
    startSeq: number,
    private readonly onReadable?: () => void,
    queue: ViewerQueueOptions = {},
  ) {
    this.queue = new ViewerQueue(queue);
    this.queuedTo = startSeq;
    this.takenTo = startSeq;
  }

  /** The offset to resume from after a reconnect. */
  get seq(): number {
    return this.takenTo;
  }

  /** For the sender: the frames waiting, oldest first, with a gap frame wherever output was lost. */
  take(max?: number): ConsoleFrame[] {
    const out: ConsoleFrame[] = [];
    for (const frame of this.queue.take(max)) {
      if (frame.fromSeq > this.takenTo) {
        out.push({ kind: "gap", fromSeq: this.takenTo, toSeq: frame.fromSeq, data: GAP_NOTICE });
      }
      out.push({ kind: "output", ...frame });
      this.takenTo = frame.toSeq;
    }
    return out;
  }

  /** Queues the part of `frame` this viewer has not had yet; calls `onReadable` on empty → not. */
  offer(frame: OutputFrame): void {
    if (frame.toSeq <= this.queuedTo) return;
    const fresh =
      frame.fromSeq >= this.queuedTo
        ? frame
        : {
            fromSeq: this.queuedTo,
            toSeq: frame.toSeq,
            data: frame.data.slice(this.queuedTo - frame.fromSeq),
          };
    const wasEmpty = this.queue.length === 0;
    this.queue.push(fresh, fresh === frame ? undefined : utf8Bytes(fresh.data));
    this.queuedTo = fresh.toSeq;
    if (wasEmpty && this.queue.length > 0) this.onReadable?.();
  }

  /** Marks output before `seq` as lost without queuing anything (the next take reports the gap). */
  skipTo(seq: number): void {
    if (seq > this.queuedTo) this.queuedTo = seq;
  }

  clear(): void {
    this.queue.clear();
  }
}
