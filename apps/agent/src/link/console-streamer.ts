// Streams one console to the portal over one link. It watches the console's hub through a bounded
// viewer and sends what the viewer holds as console:output, one batch at a time: the next batch
// waits for the portal's ack (or for the ack timeout, after which it carries on). A portal that
// acks slowly therefore only makes the viewer drop its oldest frames (the portal gets a gap frame);
// the hub never waits and the agent never holds more than the viewer's bound plus one batch.
import {
  utf8Bytes,
  type ConsoleFrame,
  type ConsoleOutput,
  type ConsoleRef,
  type ViewerQueueOptions,
} from "@berth/protocol";
import type { ConsoleChannel } from "../console/console-channel";
import type { ConsoleViewer } from "../console/console-hub";
import type { Disposable } from "../drivers/driver";
import { waitFor, type Clock } from "../instance/clock";
import type { InstanceLog } from "../instance/instance-log";

export const DEFAULT_ACK_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_BATCH_BYTES = 256 * 1024;
/** console:output carries at most 1024 frames; a take can add a gap frame before its frame. */
const MAX_BATCH_FRAMES = 1022;

export interface ConsoleStreamerOptions {
  ref: ConsoleRef;
  channel: ConsoleChannel;
  /** The offset the portal already has everything before (the replay's `toSeq`). */
  fromSeq: number;
  /** Emits one batch; settles when the portal acks (a rejection counts as an answer too). */
  send: (output: ConsoleOutput) => Promise<unknown>;
  clock: Clock;
  log: InstanceLog;
  ackTimeoutMs?: number;
  maxBatchBytes?: number;
  viewerQueue?: ViewerQueueOptions;
}

export class ConsoleStreamer {
  readonly #options: ConsoleStreamerOptions;
  readonly #viewer: ConsoleViewer;
  #closeSubscription: Disposable | null = null;
  #started = false;
  #inFlight = false;
  #closed = false;
  #onClosed: (() => void) | null = null;

  constructor(options: ConsoleStreamerOptions, onClosed?: () => void) {
    this.#options = options;
    this.#onClosed = onClosed ?? null;
    this.#viewer = options.channel.hub.addViewer({
      resumeFromSeq: options.fromSeq,
      onReadable: () => this.#pump(),
      ...(options.viewerQueue ? { queue: options.viewerQueue } : {}),
    });
    this.#closeSubscription = options.channel.onClose(() => this.close());
    this.#started = true;
    this.#pump();
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Frames waiting in the viewer's queue. */
  get queued(): number {
    return this.#viewer.queue.length;
  }

  get droppedFrames(): number {
    return this.#viewer.queue.droppedFrames;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#closeSubscription?.dispose();
    this.#options.channel.hub.removeViewer(this.#viewer);
    const onClosed = this.#onClosed;
    this.#onClosed = null;
    onClosed?.();
  }

  #pump(): void {
    if (!this.#started || this.#inFlight || this.#closed) return;
    const frames = this.#takeBatch();
    if (frames.length === 0) return;
    this.#inFlight = true;
    const { ref, channel, send, clock, log } = this.#options;
    const ackTimeoutMs = this.#options.ackTimeoutMs ?? DEFAULT_ACK_TIMEOUT_MS;
    let sent: Promise<unknown>;
    try {
      sent = send({ ...ref, runId: channel.runId, frames });
    } catch (error) {
      sent = Promise.reject(error);
    }
    waitFor(clock, sent, ackTimeoutMs)
      .then((outcome) => {
        if (outcome.kind === "timeout")
          log.warn({ ...ref, ackTimeoutMs }, "console output not acked");
      })
      .catch((error: unknown) => log.warn({ ...ref, err: error }, "console output not delivered"))
      .finally(() => {
        this.#inFlight = false;
        this.#pump();
      });
  }

  #takeBatch(): ConsoleFrame[] {
    const maxBytes = this.#options.maxBatchBytes ?? DEFAULT_MAX_BATCH_BYTES;
    const batch: ConsoleFrame[] = [];
    let bytes = 0;
    while (this.#viewer.queue.length > 0 && bytes < maxBytes && batch.length < MAX_BATCH_FRAMES) {
      for (const frame of this.#viewer.take(1)) {
        batch.push(frame);
        bytes += utf8Bytes(frame.data);
      }
    }
    return batch;
  }
}
