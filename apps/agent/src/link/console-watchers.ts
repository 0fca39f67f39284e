// The consoles one link streams to the portal: at most one streamer per console, started by
// console:open, ended by console:close, by the console going away, or by the link dropping.
import type { ConsoleOutput, ConsoleRef, ViewerQueueOptions } from "@berth/protocol";
import type { ConsoleChannel } from "../console/console-channel";
import type { Clock } from "../instance/clock";
import type { InstanceLog } from "../instance/instance-log";
import { ConsoleStreamer } from "./console-streamer";

export interface ConsoleWatchersOptions {
  send: (output: ConsoleOutput) => Promise<unknown>;
  clock: Clock;
  log: InstanceLog;
  ackTimeoutMs?: number;
  maxBatchBytes?: number;
  viewerQueue?: ViewerQueueOptions;
}

const keyOf = ({ serverId, terminalId }: ConsoleRef) => `${serverId}/${terminalId ?? ""}`;

export class ConsoleWatchers {
  readonly #options: ConsoleWatchersOptions;
  readonly #streamers = new Map<string, ConsoleStreamer>();

  constructor(options: ConsoleWatchersOptions) {
    this.#options = options;
  }

  get size(): number {
    return this.#streamers.size;
  }

  get(ref: ConsoleRef): ConsoleStreamer | undefined {
    return this.#streamers.get(keyOf(ref));
  }

  /**
   * Streams the console from `fromSeq` on, unless it is streamed already (that streamer carries
   * on from where it is; the portal drops what it has twice).
   */
  watch(ref: ConsoleRef, channel: ConsoleChannel, fromSeq: number): void {
    const key = keyOf(ref);
    if (this.#streamers.has(key) || channel.closed) return;
    const { send, clock, log, ackTimeoutMs, maxBatchBytes, viewerQueue } = this.#options;
    const streamer = new ConsoleStreamer(
      {
        ref: { serverId: ref.serverId, terminalId: ref.terminalId },
        channel,
        fromSeq,
        send,
        clock,
        log,
        ...(ackTimeoutMs === undefined ? {} : { ackTimeoutMs }),
        ...(maxBatchBytes === undefined ? {} : { maxBatchBytes }),
        ...(viewerQueue ? { viewerQueue } : {}),
      },
      () => {
        if (this.#streamers.get(key) === streamer) this.#streamers.delete(key);
      },
    );
    if (!streamer.closed) this.#streamers.set(key, streamer);
  }

  unwatch(ref: ConsoleRef): void {
    this.#streamers.get(keyOf(ref))?.close();
  }

  unwatchAll(): void {
    for (const streamer of [...this.#streamers.values()]) streamer.close();
    this.#streamers.clear();
  }
}
