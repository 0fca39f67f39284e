// Fakes for the relay's unit tests: a browser transport whose write buffer the test drains by hand,
// and an agent link whose console:open answers the test gives.
import type {
  ConsoleFrame,
  ConsoleOpen,
  ConsoleOutput,
  ConsoleRef,
  ConsoleReplay,
  Result,
} from "@berth/protocol";
import type { AccessVerdict, FeedGate, ViewerTransport } from "./console-feed";
import type { ConsoleLink } from "./console-relay";

export const out = (fromSeq: number, data: string): ConsoleFrame => ({
  kind: "output",
  fromSeq,
  toSeq: fromSeq + data.length,
  data,
});

export const flushMicrotasks = () => new Promise<void>((resolve) => setImmediate(resolve));

export class FakeTransport implements ViewerTransport {
  readonly sent: ConsoleOutput[] = [];
  readonly rooms = new Set<string>();
  /** Like a websocket: after a send, the next one waits for `drain()`. */
  slow = false;
  private busy = false;
  private listeners: Array<() => void> = [];

  constructor(readonly id: string) {}

  drained(): boolean {
    return !this.busy;
  }
  whenDrained(listener: () => void): void {
    this.listeners.push(listener);
  }
  send(batch: ConsoleOutput): void {
    this.sent.push(batch);
    if (this.slow) this.busy = true;
  }
  joinRoom(room: string): void {
    this.rooms.add(room);
  }
  leaveRoom(room: string): void {
    this.rooms.delete(room);
  }
  drain(): void {
    this.busy = false;
    for (const listener of this.listeners.splice(0)) listener();
  }

  frames(): ConsoleFrame[] {
    return this.sent.flatMap((batch) => batch.frames);
  }
  /** What the browser would print. */
  text(): string {
    return this.frames()
      .map((frame) => frame.data)
      .join("");
  }
  /** Every frame starts where the one before ended: nothing doubled, nothing silently lost. */
  contiguous(): boolean {
    const frames = this.frames();
    return frames.every((frame, i) => i === 0 || frame.fromSeq === frames[i - 1]!.toSeq);
  }
}

export class FakeGate implements FeedGate {
  fresh = true;
  verdict: AccessVerdict = "allowed";
  rechecks = 0;
  allowed(): boolean {
    return this.fresh;
  }
  recheck(): Promise<AccessVerdict> {
    this.rechecks += 1;
    if (this.verdict === "allowed") this.fresh = true;
    return Promise.resolve(this.verdict);
  }
}

export class FakeLink implements ConsoleLink {
  readonly opens: Array<{
    nodeId: string;
    request: ConsoleOpen;
    answer: (result: Result<ConsoleReplay>) => void;
  }> = [];
  readonly closes: Array<{ nodeId: string; ref: ConsoleRef }> = [];
  local = true;

  open(nodeId: string, request: ConsoleOpen): Promise<Result<ConsoleReplay>> {
    return new Promise((answer) => this.opens.push({ nodeId, request, answer }));
  }
  close(nodeId: string, ref: ConsoleRef): void {
    this.closes.push({ nodeId, ref: { serverId: ref.serverId, terminalId: ref.terminalId } });
  }
  isLocal(): boolean {
    return this.local;
  }
  /** Answers the oldest open still waiting. */
  replay(replay: ConsoleReplay): void {
    const next = this.opens.shift();
    if (!next) throw new Error("no console:open is waiting");
    next.answer({ ok: true, data: replay });
  }
  refuse(code: "NODE_OFFLINE" | "NODE_TIMEOUT", message: string): void {
    this.opens.shift()!.answer({ ok: false, error: { code, message } });
  }
}
