import { afterEach, describe, expect, it, vi } from "vitest";
import {
  GAP_NOTICE,
  rooms,
  type ConsoleFrame,
  type ConsoleOutput,
  type ConsoleRef,
} from "@berth/protocol";
import type { ConsoleResume } from "./console-relay";
import { ConsoleRelays, type ConsolePeers, type WatchedConsole } from "./console-relays";
import { FakeGate, FakeLink, FakeTransport, flushMicrotasks, out } from "./test-fakes";

const game: ConsoleRef = { serverId: "s1", terminalId: null };
const NODE = "n1";
const RUN = "run-a";
const noResume: ConsoleResume = { resumeFromSeq: null, runId: null };
const output = (frames: ConsoleFrame[], runId = RUN, ref = game): ConsoleOutput => ({
  ...ref,
  runId,
  frames,
});

function setup(options: { peers?: ConsolePeers; now?: () => number; queue?: object } = {}) {
  const link = new FakeLink();
  const relays = new ConsoleRelays({ link, log: { warn: () => undefined }, ...options });
  const join = (
    transport: FakeTransport,
    { ref = game, gate = new FakeGate(), resume = noResume, onRevoked = () => {} } = {},
  ) => relays.join({ ref, nodeId: NODE, resume, transport, gate, onRevoked });
  return { link, relays, join };
}

afterEach(() => vi.useRealTimers());

describe("ConsoleRelays", () => {
  it("opens the console at the agent per join and fans live output out to every viewer", async () => {
    const { link, relays, join } = setup();
    const a = new FakeTransport("a");
    const b = new FakeTransport("b");
    const joinA = join(a);
    link.replay({ runId: RUN, frames: [out(0, "hello\n")], toSeq: 6 });
    expect(await joinA).toMatchObject({ ok: true, data: { runId: RUN, toSeq: 6 } });
    const joinB = join(b);
    link.replay({ runId: RUN, frames: [out(0, "hello\n")], toSeq: 6 });
    await joinB;

    relays.agentOutput(NODE, output([out(6, "world\n")]));
    await flushMicrotasks();
    for (const t of [a, b]) {
      expect(t.text()).toBe("hello\nworld\n");
      expect(t.contiguous()).toBe(true);
      expect(t.rooms.has(rooms.console("s1", null))).toBe(true);
      expect(t.sent.every((batch) => batch.runId === RUN && batch.serverId === "s1")).toBe(true);
    }
  });

  it("keeps live output that arrives before the replay and slices the overlap", async () => {
    const { link, relays, join } = setup();
    const a = new FakeTransport("a");
    const joining = join(a, { resume: { resumeFromSeq: 3, runId: RUN } });
    expect(link.opens[0]!.request).toMatchObject({ ...game, resumeFromSeq: 3, runId: RUN });
    // The agent started streaming before its answer left: these overlap the replay.
    // The stream is "abcdefghijklmn…": each character sits at its own offset.
    relays.agentOutput(NODE, output([out(5, "fghi")]));
    relays.agentOutput(NODE, output([out(9, "jkl")]));
    link.replay({ runId: RUN, frames: [out(3, "def")], toSeq: 6 });
    await joining;
    relays.agentOutput(NODE, output([out(10, "klmn")]));
    await flushMicrotasks();
    expect(a.text()).toBe("defghijklmn");
    expect(a.frames()[0]!.fromSeq).toBe(3);
    expect(a.contiguous()).toBe(true);
  });

  it("gives earlier viewers what a later join's replay holds beyond the live stream", async () => {
    const { link, relays, join } = setup();
    const a = new FakeTransport("a");
    const b = new FakeTransport("b");
    const joinA = join(a);
    link.replay({ runId: RUN, frames: [out(0, "abc")], toSeq: 3 });
    await joinA;
    relays.agentOutput(NODE, output([out(3, "de")]));
    // b resumes from 2; the agent's replay reaches 7, past the 5 that arrived live so far.
    const joinB = join(b, { resume: { resumeFromSeq: 2, runId: RUN } });
    link.replay({ runId: RUN, frames: [out(2, "cdefg")], toSeq: 7 });
    await joinB;
    relays.agentOutput(NODE, output([out(5, "fg"), out(7, "h")]));
    await flushMicrotasks();
    expect(a.text()).toBe("abcdefgh");
    expect(b.text()).toBe("cdefgh");
    for (const t of [a, b]) expect(t.contiguous()).toBe(true);

    // A replay that starts past where the others are is theirs to get live, not to jump to.
    const c = new FakeTransport("c");
    const joinC = join(c, { resume: { resumeFromSeq: 20, runId: RUN } });
    link.replay({ runId: RUN, frames: [out(20, "later")], toSeq: 25 });
    await joinC;
    relays.agentOutput(NODE, output([out(8, "i")]));
    await flushMicrotasks();
    expect(a.text()).toBe("abcdefghi");
    expect(a.frames().some((f) => f.kind === "gap")).toBe(false);
  });

  it("shows a gap where the agent's scrollback no longer has what a viewer resumes from", async () => {
    const { link, join } = setup();
    const a = new FakeTransport("a");
    const joining = join(a, { resume: { resumeFromSeq: 10, runId: RUN } });
    link.replay({
      runId: RUN,
      frames: [{ kind: "gap", fromSeq: 10, toSeq: 50, data: "lost" }, out(50, "tail")],
      toSeq: 54,
    });
    await joining;
    await flushMicrotasks();
    expect(a.frames()).toEqual([
      { kind: "gap", fromSeq: 10, toSeq: 50, data: GAP_NOTICE },
      out(50, "tail"),
    ]);
  });

  it("writes to a slow browser only when it has drained, dropping its oldest output", async () => {
    const { link, relays, join } = setup({ queue: { maxFrames: 4, maxBytes: 1024 } });
    const slow = new FakeTransport("slow");
    const quick = new FakeTransport("quick");
    slow.slow = true;
    for (const t of [slow, quick]) {
      const joining = join(t);
      link.replay({ runId: RUN, frames: [], toSeq: 0 });
      await joining;
    }
    let seq = 0;
    const line = (i: number) => `line ${String(i).padStart(4, "0")}\n`;
    for (let i = 0; i < 100; i++) {
      relays.agentOutput(NODE, output([out(seq, line(i))]));
      seq += line(i).length;
      await flushMicrotasks();
    }
    // One batch went out, then the socket never drained: the rest waits in a bounded queue.
    expect(slow.sent).toHaveLength(1);
    expect(relays.stats.heldBytes).toBeLessThanOrEqual(1024);
    expect(quick.text()).toBe(Array.from({ length: 100 }, (_, i) => line(i)).join(""));

    slow.drain();
    await flushMicrotasks();
    const frames = slow.frames();
    expect(frames[0]!.data).toBe(line(0));
    expect(frames[1]).toMatchObject({ kind: "gap", data: GAP_NOTICE });
    expect(frames.at(-1)!.data).toBe(line(99));
    expect(slow.contiguous()).toBe(true);
    expect(relays.stats.droppedFrames).toBeGreaterThan(90);
  });

  it("does not send to a viewer whose access lapsed and removes it", async () => {
    const { link, relays, join } = setup();
    const a = new FakeTransport("a");
    const gate = new FakeGate();
    const revoked = vi.fn(() => relays.leaveServer("a", "s1"));
    const joining = join(a, { gate, onRevoked: revoked });
    link.replay({ runId: RUN, frames: [out(0, "ok\n")], toSeq: 3 });
    await joining;
    await flushMicrotasks();
    expect(a.text()).toBe("ok\n");

    gate.fresh = false;
    gate.verdict = "denied";
    relays.agentOutput(NODE, output([out(3, "secret\n")]));
    await flushMicrotasks();
    expect(gate.rechecks).toBe(1);
    expect(revoked).toHaveBeenCalledOnce();
    expect(a.text()).toBe("ok\n");
    expect(a.rooms.size).toBe(0);
    expect(link.closes).toEqual([{ nodeId: NODE, ref: game }]);
  });

  it("sends again once an expired grant is confirmed, and retries a check that failed", async () => {
    vi.useFakeTimers();
    const { link, relays, join } = setup();
    const a = new FakeTransport("a");
    const gate = new FakeGate();
    const joining = join(a, { gate });
    link.replay({ runId: RUN, frames: [], toSeq: 0 });
    await joining;
    gate.fresh = false;
    gate.verdict = "unknown";
    relays.agentOutput(NODE, output([out(0, "x")]));
    await vi.advanceTimersByTimeAsync(0);
    expect(a.sent).toHaveLength(0);
    gate.verdict = "allowed";
    await vi.advanceTimersByTimeAsync(1000);
    expect(a.text()).toBe("x");
    expect(gate.rechecks).toBe(2);
  });

  it("closes the console at the agent when the last viewer leaves or disconnects", async () => {
    const { link, relays, join } = setup();
    const a = new FakeTransport("a");
    const b = new FakeTransport("b");
    for (const t of [a, b]) {
      const joining = join(t);
      link.replay({ runId: RUN, frames: [], toSeq: 0 });
      await joining;
    }
    relays.leave("a", game);
    expect(a.rooms.size).toBe(0);
    expect(link.closes).toEqual([]);
    relays.leaveAll("b");
    expect(link.closes).toEqual([{ nodeId: NODE, ref: game }]);
    expect(relays.stats.consoles).toBe(0);
  });

  it("answers a failed open with the agent's error and keeps no viewer", async () => {
    const { link, relays, join } = setup();
    const a = new FakeTransport("a");
    const joining = join(a);
    link.refuse("NODE_OFFLINE", "The node is offline.");
    expect(await joining).toEqual({
      ok: false,
      error: { code: "NODE_OFFLINE", message: "The node is offline." },
    });
    expect(a.rooms.size).toBe(0);
    expect(relays.stats.consoles).toBe(0);
  });

  it("refuses a join left before the agent answered, and closes what it opened", async () => {
    const { link, relays, join } = setup();
    const a = new FakeTransport("a");
    const joining = join(a);
    relays.leave("a", game);
    link.replay({ runId: RUN, frames: [out(0, "late")], toSeq: 4 });
    expect(await joining).toMatchObject({ ok: false, error: { code: "CONFLICT" } });
    await flushMicrotasks();
    expect(a.sent).toHaveLength(0);
    expect(a.rooms.size).toBe(0);
    expect(link.closes).toHaveLength(1);
  });

  it("closes output nobody here watches and ignores a node that does not run the console", async () => {
    const { link, relays, join } = setup();
    relays.agentOutput(NODE, output([out(0, "orphan")]));
    expect(link.closes).toEqual([{ nodeId: NODE, ref: game }]);
    const a = new FakeTransport("a");
    const joining = join(a);
    link.replay({ runId: RUN, frames: [], toSeq: 0 });
    await joining;
    relays.agentOutput("other-node", output([out(0, "forged")]));
    await flushMicrotasks();
    expect(a.sent).toHaveLength(0);
  });

  it("reopens from where it got to when the agent links again, filling the hole", async () => {
    const { link, relays, join } = setup();
    const a = new FakeTransport("a");
    const joining = join(a);
    link.replay({ runId: RUN, frames: [out(0, "one\n")], toSeq: 4 });
    await joining;
    relays.agentOutput(NODE, output([out(4, "two\n")]));

    const reopened = relays.agentLinked(NODE);
    expect(link.opens[0]!.request).toEqual({ ...game, resumeFromSeq: 8, runId: RUN });
    link.replay({ runId: RUN, frames: [out(8, "three\n")], toSeq: 14 });
    await reopened;
    relays.agentOutput(NODE, output([out(14, "four\n")]));
    await flushMicrotasks();
    expect(a.text()).toBe("one\ntwo\nthree\nfour\n");
    expect(a.contiguous()).toBe(true);
  });

  it("starts viewers over when the agent's run changed (agent restarted)", async () => {
    const { link, relays, join } = setup();
    const a = new FakeTransport("a");
    const joining = join(a);
    link.replay({ runId: RUN, frames: [out(0, "old run\n")], toSeq: 8 });
    await joining;
    const reopened = relays.agentLinked(NODE);
    link.replay({ runId: "run-b", frames: [out(0, "new run\n")], toSeq: 8 });
    await reopened;
    await flushMicrotasks();
    expect(a.sent.map((batch) => [batch.runId, batch.frames.map((f) => f.data).join("")])).toEqual([
      [RUN, "old run\n"],
      ["run-b", "new run\n"],
    ]);
  });

  it("takes a socket out of every console of a server at once", async () => {
    const { link, relays, join } = setup();
    const a = new FakeTransport("a");
    const terminal = { serverId: "s1", terminalId: "t1" };
    const other = { serverId: "s12", terminalId: null };
    for (const ref of [game, terminal, other]) {
      const joining = join(a, { ref });
      link.replay({ runId: RUN, frames: [], toSeq: 0 });
      await joining;
    }
    relays.leaveServer("a", "s1");
    expect([...a.rooms]).toEqual([rooms.console("s12", null)]);
    expect(link.closes.map((c) => c.ref)).toEqual([game, terminal]);
  });

  it("drops the consoles of terminals that are gone", async () => {
    const { link, relays, join } = setup();
    const a = new FakeTransport("a");
    for (const terminalId of ["t1", "t2"]) {
      const joining = join(a, { ref: { serverId: "s1", terminalId } });
      link.replay({ runId: RUN, frames: [], toSeq: 0 });
      await joining;
    }
    relays.terminalsChanged("s1", new Set(["t2"]));
    expect([...a.rooms]).toEqual([rooms.console("s1", "t2")]);
    expect(relays.stats.consoles).toBe(1);
  });
});

describe("ConsoleRelays with other portals", () => {
  function peers() {
    const log = {
      announced: [] as WatchedConsole[][],
      forwarded: [] as ConsoleOutput[],
      linked: [] as string[],
    };
    const api: ConsolePeers = {
      announce: (watched) => log.announced.push(watched),
      forward: (_nodeId, payload) => log.forwarded.push(payload),
      linked: (nodeId) => log.linked.push(nodeId),
    };
    return { api, log };
  }

  it("forwards output another portal watches instead of closing it, until the lease runs out", () => {
    let t = 0;
    const p = peers();
    const { link, relays } = setup({ peers: p.api, now: () => t });
    relays.peerAnnounced([{ nodeId: NODE, ref: game }]);
    relays.agentOutput(NODE, output([out(0, "for b")]));
    expect(p.log.forwarded).toHaveLength(1);
    expect(link.closes).toEqual([]);
    t += 15_000;
    relays.agentOutput(NODE, output([out(5, "nobody")]));
    expect(p.log.forwarded).toHaveLength(1);
    expect(link.closes).toEqual([{ nodeId: NODE, ref: game }]);
  });

  it("announces a console before opening it, and feeds its viewers with forwarded output", async () => {
    const p = peers();
    const { link, relays, join } = setup({ peers: p.api });
    link.local = false;
    const a = new FakeTransport("a");
    const joining = join(a);
    expect(p.log.announced).toEqual([[{ nodeId: NODE, ref: game }]]);
    link.replay({ runId: RUN, frames: [out(0, "abc")], toSeq: 3 });
    await joining;
    relays.peerOutput(NODE, output([out(3, "def")]));
    await flushMicrotasks();
    expect(a.text()).toBe("abcdef");
    // The agent is linked elsewhere: that portal closes the console once nobody announces it.
    relays.leaveAll("a");
    expect(link.closes).toEqual([]);
    relays.announce();
    expect(p.log.announced).toHaveLength(1);
  });

  it("reopens when the agent linked to another portal, and tells the others when it links here", async () => {
    const p = peers();
    const { link, relays, join } = setup({ peers: p.api });
    const a = new FakeTransport("a");
    const joining = join(a);
    link.replay({ runId: RUN, frames: [], toSeq: 0 });
    await joining;
    const reopened = relays.peerLinked(NODE);
    expect(link.opens).toHaveLength(1);
    link.replay({ runId: RUN, frames: [], toSeq: 0 });
    await reopened;
    const linked = relays.agentLinked(NODE);
    expect(p.log.linked).toEqual([NODE]);
    link.replay({ runId: RUN, frames: [], toSeq: 0 });
    await linked;
  });
});
