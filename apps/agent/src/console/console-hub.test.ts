import { describe, expect, it } from "vitest";
import { FakeClock } from "../instance/fake-clock";
import { ConsoleHub, GAP_NOTICE, THROTTLE_NOTICE, type ConsoleViewer } from "./console-hub";
import { randomText, seededRandom } from "./test-support";

function outputOf(viewer: ConsoleViewer): string {
  return viewer
    .take()
    .map((f) => f.data)
    .join("");
}

function count(text: string, part: string): number {
  return text.split(part).length - 1;
}

describe("ConsoleHub", () => {
  it("replays the scrollback to a new viewer, then live output, each character once", async () => {
    const clock = new FakeClock();
    const hub = new ConsoleHub({ clock });
    hub.write("booting\n");
    await clock.advance(25);
    hub.write("loading world\n"); // still being coalesced when the viewer joins
    const viewer = hub.addViewer();
    hub.write("done\n");
    await clock.advance(25);
    expect(outputOf(viewer)).toBe("booting\nloading world\ndone\n");
    expect(viewer.seq).toBe(hub.lastSeq);
    expect(clock.pending).toBe(0);
  });

  it("tells the sender when a viewer's queue has something", async () => {
    const clock = new FakeClock();
    const hub = new ConsoleHub({ clock });
    let calls = 0;
    const viewer = hub.addViewer({ onReadable: () => (calls += 1) });
    hub.write("a");
    await clock.advance(25);
    hub.write("b");
    await clock.advance(25);
    expect(calls).toBe(1);
    viewer.take();
    hub.write("c");
    await clock.advance(25);
    expect(calls).toBe(2);
  });

  it("loses and repeats nothing across random reconnects (seeded)", async () => {
    for (let seed = 1; seed <= 40; seed++) {
      const random = seededRandom(seed);
      const clock = new FakeClock();
      const hub = new ConsoleHub({ clock, maxFrameChars: 50 });
      let written = "";
      let received = "";
      let viewer = hub.addViewer();
      for (let step = 0; step < 80; step++) {
        const text = randomText(random, 1 + Math.floor(random() * 60));
        hub.write(text);
        written += text;
        if (random() < 0.4) await clock.advance(Math.floor(random() * 40));
        if (random() < 0.3) {
          // The sender gets part of the queue out, then the connection drops.
          for (const frame of viewer.take(Math.floor(random() * 3))) {
            expect(frame.kind).toBe("output");
            received += frame.data;
          }
          hub.removeViewer(viewer);
          viewer = hub.addViewer({ resumeFromSeq: received.length });
        }
      }
      await clock.advance(100);
      for (const frame of viewer.take()) {
        expect(frame.kind).toBe("output");
        received += frame.data;
      }
      expect(received).toBe(written);
      expect(hub.viewerCount).toBe(1);
      expect(clock.pending).toBe(0);
    }
  });

  it("marks a gap when resuming from output the scrollback no longer holds", async () => {
    const clock = new FakeClock();
    const hub = new ConsoleHub({ clock, scrollback: { capacityBytes: 1024 } });
    let written = "";
    for (let i = 0; i < 500; i++) {
      hub.write(`line ${i}\n`);
      written += `line ${i}\n`;
    }
    await clock.advance(25);
    const viewer = hub.addViewer({ resumeFromSeq: 10 });
    const frames = viewer.take();
    const first = frames[0]!;
    expect(first).toMatchObject({ kind: "gap", fromSeq: 10, data: GAP_NOTICE });
    expect(frames.filter((f) => f.kind === "gap")).toHaveLength(1);
    const rest = frames
      .slice(1)
      .map((f) => f.data)
      .join("");
    expect(rest).toBe(written.slice(first.toSeq));
    expect(rest.length).toBeLessThanOrEqual(1024);
    // A new viewer just sees what is held, with no marker.
    expect(
      hub
        .addViewer()
        .take()
        .every((f) => f.kind === "output"),
    ).toBe(true);
  });

  it("throttles a flood with one notice per episode, bounded memory, other servers unaffected", async () => {
    const clock = new FakeClock();
    const flooded = new ConsoleHub({ clock });
    const quiet = new ConsoleHub({ clock });
    const floodViewer = flooded.addViewer();
    const quietViewer = quiet.addViewer();
    let floodSeen = "";
    let quietWritten = "";
    let quietSeen = "";
    for (let episode = 0; episode < 2; episode++) {
      for (let window = 0; window < 5; window++) {
        // About 100k lines of `yes` in each 100 ms window, in 1 KiB writes.
        const chunk = "y\n".repeat(512);
        for (let i = 0; i < 200; i++) flooded.write(chunk);
        quiet.write(`tick ${episode}.${window}\n`);
        quietWritten += `tick ${episode}.${window}\n`;
        for (let ms = 0; ms < 100; ms += 25) {
          await clock.advance(25);
          floodSeen += outputOf(floodViewer);
          quietSeen += outputOf(quietViewer);
          expect(flooded.heldBytes).toBeLessThanOrEqual(256 * 1024 + 64 * 1024 * 3 + 1024 * 1024);
          expect(flooded.scrollbackBytes).toBeLessThanOrEqual(256 * 1024);
        }
      }
      expect(count(floodSeen, THROTTLE_NOTICE)).toBe(episode + 1);
      await clock.advance(300); // quiet: the episode ends
      flooded.write("calm\n");
      await clock.advance(25);
      floodSeen += outputOf(floodViewer);
      expect(flooded.throttled).toBe(false);
    }
    expect(count(floodSeen, THROTTLE_NOTICE)).toBe(2);
    expect(floodSeen.endsWith("calm\n")).toBe(true);
    // Lines per window stay within the limit (plus the notice).
    // Each window passes what fits under the limit (3 writes of 512 lines), then the notice.
    expect(count(floodSeen, "y\n")).toBe(10 * 3 * 512);
    expect(quietSeen).toBe(quietWritten);
    expect(quiet.throttled).toBe(false);
    // A late viewer sees the notice in the replay too.
    expect(outputOf(flooded.addViewer())).toContain(THROTTLE_NOTICE);
    expect(clock.pending).toBe(0);
  });

  it("lets a slow viewer lose its oldest frames while a fast one gets everything", async () => {
    const clock = new FakeClock();
    const hub = new ConsoleHub({ clock, viewerQueue: { maxFrames: 8, maxBytes: 4096 } });
    const fast = hub.addViewer();
    const slow = hub.addViewer();
    let written = "";
    let fastSeen = "";
    for (let i = 0; i < 200; i++) {
      const line = `line ${i} ${"#".repeat(i % 50)}\n`;
      hub.write(line);
      written += line;
      await clock.advance(25);
      fastSeen += outputOf(fast);
      expect(slow.queue.length).toBeLessThanOrEqual(8);
      expect(slow.queue.bytes).toBeLessThanOrEqual(4096);
    }
    expect(fastSeen).toBe(written);
    expect(fast.queue.droppedFrames).toBe(0);
    expect(slow.queue.droppedFrames).toBe(192);
    const frames = slow.take();
    expect(frames[0]).toMatchObject({ kind: "gap", fromSeq: 0, data: GAP_NOTICE });
    expect(frames.slice(1).every((f) => f.kind === "output")).toBe(true);
    expect(
      frames
        .slice(1)
        .map((f) => f.data)
        .join(""),
    ).toBe(written.slice(frames[0]!.toSeq));
    // Once drained, the slow viewer carries on without loss.
    hub.write("after\n");
    await clock.advance(25);
    expect(outputOf(slow)).toBe("after\n");
  });

  it("holds nothing for a removed viewer and no timer once closed", async () => {
    const clock = new FakeClock();
    const hub = new ConsoleHub({ clock });
    const viewer = hub.addViewer();
    hub.write("x");
    await clock.advance(25);
    hub.removeViewer(viewer);
    expect(viewer.queue.length).toBe(0);
    hub.write("y"); // after a quiet tick: sent at once
    hub.write("z"); // within the tick: waits for it
    expect(clock.pending).toBe(1);
    hub.close();
    expect(clock.pending).toBe(0);
    expect(hub.viewerCount).toBe(0);
  });

  it("replays from an offset without adding a viewer, with a gap where output was evicted", async () => {
    const clock = new FakeClock();
    const hub = new ConsoleHub({ clock, scrollback: { capacityBytes: 64 }, maxFrameChars: 10 });
    hub.write("0123456789abcdefghij");
    expect(hub.replay(5)).toEqual({
      frames: [{ kind: "output", fromSeq: 5, toSeq: 20, data: "56789abcdefghij" }],
      toSeq: 20,
    });
    expect(hub.replay(20)).toEqual({ frames: [], toSeq: 20 });
    for (let i = 0; i < 10; i++) hub.write("x".repeat(10));
    const { frames, toSeq } = hub.replay(5);
    expect(toSeq).toBe(120);
    expect(frames[0]).toMatchObject({ kind: "gap", fromSeq: 5, data: GAP_NOTICE });
    expect(frames.at(-1)!.toSeq).toBe(120);
    expect(hub.replay().frames.every((f) => f.kind === "output")).toBe(true);
    expect(hub.viewerCount).toBe(0);
    hub.close();
  });

  it("writes the agent's notices even while output is throttled", async () => {
    const clock = new FakeClock();
    const hub = new ConsoleHub({ clock, throttle: { maxLines: 2 } });
    const viewer = hub.addViewer();
    hub.write("a\nb\nc\n");
    hub.notice("[berth] note\r\n");
    hub.write("dropped\n");
    await clock.advance(25);
    expect(outputOf(viewer)).toBe(`${THROTTLE_NOTICE}[berth] note\r\n`);
    hub.close();
  });
});
