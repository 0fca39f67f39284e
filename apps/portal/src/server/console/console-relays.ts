// Every console this portal relays, by room name. Browsers join and leave here; agent output comes
// in here. With several portals (Redis adapter) an agent streams only to the portal holding its
// link: that portal hands the output on to portals whose browsers watch the console ("peers"),
// and only consoles nobody watches anywhere are closed at the agent.
import {
  rooms,
  type ConsoleOutput,
  type ConsoleRef,
  type ConsoleReplay,
  type Result,
} from "@berth/protocol";
import { ConsoleFeed, type FeedGate, type FeedLimits, type ViewerTransport } from "./console-feed";
import { ConsoleRelay, type ConsoleLink, type ConsoleResume } from "./console-relay";

/** Other portals behind the same adapter; absent when this portal runs alone. */
export interface ConsolePeers {
  /** Tells the others which consoles have viewers here (repeated while they do). */
  announce(watched: WatchedConsole[]): void;
  /** Hands output from an agent linked here to the others. */
  forward(nodeId: string, payload: ConsoleOutput): void;
  /** Tells the others that a node's agent (re)linked here, so they open their consoles again. */
  linked(nodeId: string): void;
}

export interface WatchedConsole {
  nodeId: string;
  ref: ConsoleRef;
}

export interface RelayLog {
  warn(obj: object, msg: string): void;
}

export interface ConsoleRelaysOptions extends FeedLimits {
  link: ConsoleLink;
  log: RelayLog;
  now?: () => number;
  peers?: ConsolePeers;
  /** How long another portal's announcement keeps a console open for it. */
  peerLeaseMs?: number;
}

export interface JoinRequest {
  ref: ConsoleRef;
  nodeId: string;
  resume: ConsoleResume;
  transport: ViewerTransport;
  gate: FeedGate;
  onRevoked: () => void;
}

export const PEER_ANNOUNCE_MS = 5000;

export class ConsoleRelays {
  private readonly relays = new Map<string, ConsoleRelay>();
  /** Per socket: its transport and the consoles it joined. */
  private readonly sockets = new Map<string, { transport: ViewerTransport; keys: Set<string> }>();
  /** Consoles other portals watch, until when. */
  private readonly peerLeases = new Map<string, number>();
  private readonly now: () => number;
  private readonly peerLeaseMs: number;

  constructor(private readonly options: ConsoleRelaysOptions) {
    this.now = options.now ?? Date.now;
    this.peerLeaseMs = options.peerLeaseMs ?? 3 * PEER_ANNOUNCE_MS;
  }

  /** Joins a browser to a console; the answer carries the agent's replay (runId, toSeq). */
  async join({
    ref,
    nodeId,
    resume,
    transport,
    gate,
    onRevoked,
  }: JoinRequest): Promise<Result<ConsoleReplay>> {
    const key = rooms.console(ref.serverId, ref.terminalId);
    let relay = this.relays.get(key);
    if (!relay) {
      relay = new ConsoleRelay(ref, nodeId, this.options.link);
      this.relays.set(key, relay);
      // Before the open, so the portal holding the agent's link knows to forward the output.
      this.options.peers?.announce([{ nodeId, ref }]);
    }
    let entry = this.sockets.get(transport.id);
    if (!entry) {
      entry = { transport, keys: new Set() };
      this.sockets.set(transport.id, entry);
    }
    entry.keys.add(key);
    const { queue, maxBatchFrames, maxBatchChars, recheckRetryMs } = this.options;
    const feed = new ConsoleFeed({
      queue,
      maxBatchFrames,
      maxBatchChars,
      recheckRetryMs,
      ref,
      transport,
      gate,
      onRevoked,
    });
    const result = await relay.join(feed, resume);
    if (result.ok) transport.joinRoom(key);
    else if (result.error.code !== "CONFLICT") this.leaveKey(transport.id, key);
    return result;
  }

  leave(socketId: string, ref: ConsoleRef): void {
    this.leaveKey(socketId, rooms.console(ref.serverId, ref.terminalId));
  }

  /** Removes a socket from every console of a server (its access lapsed). */
  leaveServer(socketId: string, serverId: string): void {
    const entry = this.sockets.get(socketId);
    if (!entry) return;
    const game = rooms.console(serverId, null);
    for (const key of [...entry.keys]) {
      if (key === game || key.startsWith(`${game}:`)) this.leaveKey(socketId, key);
    }
  }

  /** The socket disconnected. */
  leaveAll(socketId: string): void {
    const entry = this.sockets.get(socketId);
    if (!entry) return;
    for (const key of [...entry.keys]) this.leaveKey(socketId, key);
    this.sockets.delete(socketId);
  }

  /** console:output from the agent linked here for `nodeId`. */
  agentOutput(nodeId: string, payload: ConsoleOutput): void {
    const key = rooms.console(payload.serverId, payload.terminalId);
    const relay = this.relays.get(key);
    const local = relay?.nodeId === nodeId;
    if (local) relay.output(payload);
    if (this.peerWatches(key)) this.options.peers?.forward(nodeId, payload);
    else if (!local) {
      this.options.link.close(nodeId, {
        serverId: payload.serverId,
        terminalId: payload.terminalId,
      });
    }
  }

  /** Output another portal forwarded. */
  peerOutput(nodeId: string, payload: ConsoleOutput): void {
    const relay = this.relays.get(rooms.console(payload.serverId, payload.terminalId));
    if (relay?.nodeId === nodeId) relay.output(payload);
  }

  peerAnnounced(watched: WatchedConsole[]): void {
    const until = this.now() + this.peerLeaseMs;
    for (const { ref } of watched) {
      const key = rooms.console(ref.serverId, ref.terminalId);
      this.peerLeases.set(key, Math.max(until, this.peerLeases.get(key) ?? 0));
    }
  }

  /** The node's agent linked to this portal: re-open its consoles here and on the other portals. */
  async agentLinked(nodeId: string): Promise<void> {
    this.options.peers?.linked(nodeId);
    await this.reopenNode(nodeId);
  }

  /** The node's agent linked to another portal. */
  async peerLinked(nodeId: string): Promise<void> {
    this.options.peers?.announce(this.watched(nodeId));
    await this.reopenNode(nodeId);
  }

  /** Repeats this portal's announcement and forgets expired leases; runs on a timer. */
  announce(): void {
    const now = this.now();
    for (const [key, until] of this.peerLeases) if (until <= now) this.peerLeases.delete(key);
    const watched = this.watched();
    if (watched.length > 0) this.options.peers?.announce(watched);
  }

  /** A server's terminal list changed: consoles of terminals that are gone are dropped here. */
  terminalsChanged(serverId: string, terminalIds: ReadonlySet<string>): void {
    for (const [key, relay] of this.relays) {
      const { terminalId } = relay.ref;
      if (relay.ref.serverId !== serverId || terminalId === null || terminalIds.has(terminalId))
        continue;
      for (const feed of [...relay.allFeeds]) this.leaveKey(feed.transport.id, key, false);
    }
  }

  get stats(): { consoles: number; feeds: number; heldBytes: number; droppedFrames: number } {
    let feeds = 0;
    let heldBytes = 0;
    let droppedFrames = 0;
    for (const relay of this.relays.values()) {
      for (const feed of relay.allFeeds) {
        feeds += 1;
        heldBytes += feed.heldBytes;
        droppedFrames += feed.droppedFrames;
      }
    }
    return { consoles: this.relays.size, feeds, heldBytes, droppedFrames };
  }

  private watched(nodeId?: string): WatchedConsole[] {
    const out: WatchedConsole[] = [];
    for (const relay of this.relays.values()) {
      if (nodeId === undefined || relay.nodeId === nodeId)
        out.push({ nodeId: relay.nodeId, ref: relay.ref });
    }
    return out;
  }

  private async reopenNode(nodeId: string): Promise<void> {
    const reopening = [...this.relays.values()]
      .filter((relay) => relay.nodeId === nodeId)
      .map(async (relay) => {
        const result = await relay.reopen();
        if (result && !result.ok) {
          this.options.log.warn(
            { serverId: relay.ref.serverId, terminalId: relay.ref.terminalId, error: result.error },
            "console could not be reopened",
          );
        }
      });
    await Promise.all(reopening);
  }

  private peerWatches(key: string): boolean {
    const until = this.peerLeases.get(key);
    return until !== undefined && until > this.now();
  }

  private leaveKey(socketId: string, key: string, closeAtAgent = true): void {
    const entry = this.sockets.get(socketId);
    if (entry?.keys.delete(key)) entry.transport.leaveRoom(key);
    const relay = this.relays.get(key);
    if (!relay) return;
    relay.remove(socketId);
    if (relay.size > 0) return;
    this.relays.delete(key);
    // With peers, the portal holding the agent's link closes what nobody watches; the others
    // simply stop announcing it.
    if (closeAtAgent && !this.peerWatches(key) && this.options.link.isLocal(relay.nodeId)) {
      this.options.link.close(relay.nodeId, relay.ref);
    }
  }
}
