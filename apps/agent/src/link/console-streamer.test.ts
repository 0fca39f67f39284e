import { GAP_NOTICE, type ConsoleOutput } from "@berth/protocol";
import { describe, expect, it } from "vitest";
import { ConsoleChannel } from "../console/console-channel";
import { FakeClock, settle } from "../instance/fake-clock";
import { memoryLog } from "../instance/test-fixture";
import { ConsoleWatchers } from "./console-watchers";

/** A portal stand-in whose acks the test gives (or withholds). */
function portal() {
  const sent: ConsoleOutput[] = [];
  const pending: Array<() => void> = [];
  return {
    sent,
    send: (output: ConsoleOutput) => {
      sent.push(output);
      return new Promise<void>((resolve) => pending.push(resolve));
    },
    /** Acks every batch waiting for one. */
    ack: async () => {
      for (const resolve of pending.splice(0)) resolve();
      await settle();
    },
    get waiting() {
      return pending.length;
    },
    text: () =>
      sent
        .flatMap((o) => o.frames)
        .map((f) => f.data)
        .join(""),
  };
}

function setup(options: { viewerQueue?: { maxFrames?: number; maxBytes?: number } } = {}) {
  const clock = new FakeClock();
  const channel = new ConsoleChannel({ clock });
  const link = portal();
  const watchers = new ConsoleWatchers({
    send: link.send,
    clock,
    log: memoryLog(),
    ackTimeoutMs: 10_000,
    maxBatchBytes: 4096,
    ...options,
  });
  const ref = { serverId: "s1", terminalId: null };
  return { clock, channel, link, watchers, ref, hub: channel.hub };
}

describe("console streaming to the portal", () => {
  it("sends live output from the replay's end, one batch in flight at a time", async () => {
    const fx = setup();
    fx.hub.write("before\n");
    const { toSeq } = fx.hub.replay();
    fx.watchers.watch(fx.ref, fx.channel, toSeq);
    fx.hub.write("one\n");
    await fx.clock.advance(25);
    expect(fx.link.sent).toEqual([
      {
        serverId: "s1",
        terminalId: null,
        runId: fx.channel.runId,
        frames: [{ kind: "output", fromSeq: 7, toSeq: 11, data: "one\n" }],
      },
    ]);

    fx.hub.write("two\n");
    await fx.clock.advance(25);
    fx.hub.write("three\n");
    await fx.clock.advance(25);
    expect(fx.link.sent).toHaveLength(1);
    await fx.link.ack();
    expect(fx.link.sent).toHaveLength(2);
    expect(fx.link.sent[1]!.frames.map((f) => f.data)).toEqual(["two\n", "three\n"]);
    await fx.link.ack();
    expect(fx.link.waiting).toBe(0);
    expect(fx.link.text()).toBe("one\ntwo\nthree\n");
  });

  it("carries on after the ack timeout when the portal never answers", async () => {
    const fx = setup();
    fx.watchers.watch(fx.ref, fx.channel, 0);
    fx.hub.write("a");
    await fx.clock.advance(25);
    expect(fx.link.sent).toHaveLength(1);
    fx.hub.write("b");
    await fx.clock.advance(25);
    expect(fx.link.sent).toHaveLength(1);
    // "a" went out at once (t = 0); its ack times out at t = 10 s.
    await fx.clock.advance(9_949);
    expect(fx.link.sent).toHaveLength(1);
    await fx.clock.advance(1);
    expect(fx.link.sent).toHaveLength(2);
    expect(fx.link.text()).toBe("ab");
  });

  it("bounds a batch's bytes and sends the rest after the ack", async () => {
    const fx = setup();
    fx.watchers.watch(fx.ref, fx.channel, 0);
    // The first batch waits for its ack while the rest piles up.
    fx.hub.write("x");
    await fx.clock.advance(25);
    for (let i = 0; i < 10; i++) {
      fx.hub.write(`${String(i).repeat(1000)}\n`);
      await fx.clock.advance(25);
    }
    for (let round = 0; round < 10 && fx.link.waiting > 0; round++) await fx.link.ack();
    const sizes = fx.link.sent.map((o) => o.frames.reduce((n, f) => n + f.data.length, 0));
    expect(Math.max(...sizes.slice(1))).toBeLessThanOrEqual(4096 + 1001);
    expect(fx.link.sent.length).toBeGreaterThan(2);
    expect(fx.link.text()).toBe(
      "x" + Array.from({ length: 10 }, (_, i) => `${String(i).repeat(1000)}\n`).join(""),
    );
  });

  it("drops the oldest output for a portal that does not keep up, never holding more", async () => {
    const fx = setup({ viewerQueue: { maxFrames: 4, maxBytes: 64 * 1024 } });
    fx.watchers.watch(fx.ref, fx.channel, 0);
    let written = "";
    for (let i = 0; i < 100; i++) {
      const line = `line ${i}\n`;
      fx.hub.write(line);
      written += line;
      await fx.clock.advance(25);
      expect(fx.watchers.get(fx.ref)!.queued).toBeLessThanOrEqual(4);
    }
    expect(fx.link.sent).toHaveLength(1);
    await fx.link.ack();
    const second = fx.link.sent[1]!.frames;
    expect(second[0]).toMatchObject({ kind: "gap", fromSeq: "line 0\n".length, data: GAP_NOTICE });
    expect(
      second
        .slice(1)
        .map((f) => f.data)
        .join(""),
    ).toBe(written.slice(second[0]!.toSeq));
    expect(second.at(-1)!.toSeq).toBe(written.length);
    expect(fx.watchers.get(fx.ref)!.droppedFrames).toBe(95);
  });

  it("watches a console once per link and stops on close, on unwatch and when it goes", async () => {
    const fx = setup();
    fx.watchers.watch(fx.ref, fx.channel, 0);
    fx.watchers.watch(fx.ref, fx.channel, 0);
    expect(fx.hub.viewerCount).toBe(1);
    fx.watchers.unwatch(fx.ref);
    expect(fx.hub.viewerCount).toBe(0);
    expect(fx.watchers.size).toBe(0);

    fx.watchers.watch(fx.ref, fx.channel, 0);
    const terminal = new ConsoleChannel({ clock: fx.clock });
    const terminalRef = { serverId: "s1", terminalId: "t1" };
    fx.watchers.watch(terminalRef, terminal, 0);
    expect(fx.watchers.size).toBe(2);
    terminal.close();
    expect(fx.watchers.size).toBe(1);
    expect(fx.watchers.get(terminalRef)).toBeUndefined();

    fx.watchers.unwatchAll();
    expect(fx.watchers.size).toBe(0);
    expect(fx.hub.viewerCount).toBe(0);
    fx.hub.write("nobody listens\n");
    await fx.clock.advance(25);
    expect(fx.link.sent).toEqual([]);
    // A closed console cannot be watched.
    fx.watchers.watch(terminalRef, terminal, 0);
    expect(fx.watchers.size).toBe(0);
  });
});
