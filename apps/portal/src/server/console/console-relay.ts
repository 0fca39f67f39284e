// One console as this portal relays it: the agent streams it here once (console:open is idempotent
// per link), and every local browser that joined gets it through its own ConsoleFeed.
import {
  fail,
  type ConsoleOpen,
  type ConsoleOutput,
  type ConsoleRef,
  type ConsoleReplay,
  type Result,
} from "@berth/protocol";
import type { ConsoleFeed } from "./console-feed";

/** How a relay reaches the agent of its console's node (mechanics only). */
export interface ConsoleLink {
  /** console:open: the agent replays from the given offset and streams live output from now on. */
  open(nodeId: string, request: ConsoleOpen): Promise<Result<ConsoleReplay>>;
  /** console:close: no viewer is left. */
  close(nodeId: string, ref: ConsoleRef): void;
  /** Whether the node's agent is linked to this portal (not to another one behind the adapter). */
  isLocal(nodeId: string): boolean;
}

export type ConsoleResume = Pick<ConsoleOpen, "resumeFromSeq" | "runId">;

export class ConsoleRelay {
  private readonly feeds = new Map<string, ConsoleFeed>();
  /** The run this portal last heard of, and the offset just past the last character received. */
  private runId: string | null = null;
  private receivedTo = 0;

  constructor(
    readonly ref: ConsoleRef,
    readonly nodeId: string,
    private readonly link: ConsoleLink,
  ) {}

  get size(): number {
    return this.feeds.size;
  }

  get allFeeds(): IterableIterator<ConsoleFeed> {
    return this.feeds.values();
  }

  /**
   * Adds a browser's feed (replacing an earlier one of the same socket) and asks the agent for its
   * replay. Live frames arriving before the replay are kept by the feed and sliced against it.
   */
  async join(feed: ConsoleFeed, resume: ConsoleResume): Promise<Result<ConsoleReplay>> {
    const id = feed.transport.id;
    this.feeds.get(id)?.close();
    this.feeds.set(id, feed);
    const result = await this.link.open(this.nodeId, { ...this.ref, ...resume });
    if (this.feeds.get(id) !== feed) {
      return fail("CONFLICT", "The console was left before it opened.");
    }
    if (!result.ok) {
      this.remove(id);
      return result;
    }
    const replay = result.data;
    const before = this.receivedTo;
    const runChanged = this.track(replay.runId, replay.toSeq);
    feed.start(replay);
    // The others stream this run live already. They take this replay only when the run is new,
    // or when it reaches past what arrived live (an agent may restart its stream on a new open)
    // and starts early enough to continue where they are, so it never jumps over live frames
    // that are still on their way.
    const firstSeq = replay.frames[0]?.fromSeq ?? replay.toSeq;
    if (runChanged || (replay.toSeq > before && firstSeq <= before)) {
      for (const other of this.feeds.values()) {
        if (other !== feed) other.offer(replay.runId, replay.frames);
      }
    }
    return result;
  }

  /** Removes a socket's feed; true when it was there. */
  remove(socketId: string): ConsoleFeed | undefined {
    const feed = this.feeds.get(socketId);
    if (!feed) return undefined;
    feed.close();
    this.feeds.delete(socketId);
    return feed;
  }

  output(payload: ConsoleOutput): void {
    let toSeq = 0;
    for (const frame of payload.frames) toSeq = Math.max(toSeq, frame.toSeq);
    this.track(payload.runId, toSeq);
    for (const feed of this.feeds.values()) feed.offer(payload.runId, payload.frames);
  }

  /**
   * After the agent's link came back: opens the console again from where this portal had got to,
   * so what was printed meanwhile reaches every feed (or a gap, when it left the scrollback).
   */
  async reopen(): Promise<Result<ConsoleReplay> | null> {
    if (this.feeds.size === 0) return null;
    const result = await this.link.open(this.nodeId, {
      ...this.ref,
      resumeFromSeq: this.runId === null ? null : this.receivedTo,
      runId: this.runId,
    });
    if (!result.ok) return result;
    const replay = result.data;
    this.track(replay.runId, replay.toSeq);
    for (const feed of this.feeds.values()) feed.offer(replay.runId, replay.frames);
    return result;
  }

  /** Follows the run and how far it got; true when the run changed from a known one. */
  private track(runId: string, toSeq: number): boolean {
    if (runId !== this.runId) {
      const known = this.runId !== null;
      this.runId = runId;
      this.receivedTo = toSeq;
      return known;
    }
    this.receivedTo = Math.max(this.receivedTo, toSeq);
    return false;
  }
}
