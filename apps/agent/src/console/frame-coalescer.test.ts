import { describe, expect, it } from "vitest";
import { FakeClock } from "../instance/fake-clock";
import { FrameCoalescer, type OutputFrame } from "./frame-coalescer";

function setup(options: { tickMs?: number; maxFrameChars?: number } = {}) {
  const clock = new FakeClock();
  const frames: OutputFrame[] = [];
  const coalescer = new FrameCoalescer({ clock, onFrame: (f) => frames.push(f), ...options });
  return { clock, frames, coalescer };
}

describe("FrameCoalescer", () => {
  it("starts no timer while idle", async () => {
    const { clock, frames } = setup();
    expect(clock.pending).toBe(0);
    await clock.advance(1000);
    expect(frames).toEqual([]);
  });

  it("sends output after a quiet tick at once, and joins what follows within the tick", async () => {
    const { clock, frames, coalescer } = setup();
    coalescer.push(0, "a");
    expect(frames).toEqual([{ fromSeq: 0, toSeq: 1, data: "a" }]);
    expect(clock.pending).toBe(0);
    await clock.advance(5);
    coalescer.push(1, "bc");
    coalescer.push(3, "d\n");
    expect(clock.pending).toBe(1);
    await clock.advance(19);
    expect(frames).toHaveLength(1);
    await clock.advance(1);
    expect(frames.at(-1)).toEqual({ fromSeq: 1, toSeq: 5, data: "bcd\n" });
    expect(clock.pending).toBe(0);
    await clock.advance(100);
    coalescer.push(5, "e");
    expect(frames.at(-1)).toEqual({ fromSeq: 5, toSeq: 6, data: "e" });
  });

  it("sends about one frame per tick under steady output", async () => {
    const { clock, frames, coalescer } = setup({ tickMs: 25 });
    let seq = 0;
    for (let ms = 0; ms < 1000; ms++) {
      coalescer.push(seq, "x");
      seq += 1;
      await clock.advance(1);
    }
    coalescer.flush();
    expect(frames.length).toBeGreaterThanOrEqual(38);
    expect(frames.length).toBeLessThanOrEqual(41);
    expect(frames.map((f) => f.data).join("")).toBe("x".repeat(1000));
    for (let i = 1; i < frames.length; i++) expect(frames[i]!.fromSeq).toBe(frames[i - 1]!.toSeq);
    expect(clock.pending).toBe(0);
  });

  it("sends early when a frame is full, and splits a large write", () => {
    const { frames, coalescer } = setup({ maxFrameChars: 10 });
    coalescer.push(0, "0123456789abcdefghijklmnopqrstuvwxy");
    expect(frames.map((f) => f.data)).toEqual(["0123456789", "abcdefghij", "klmnopqrst"]);
    expect(coalescer.pending).toBe(5);
    coalescer.flush();
    expect(frames.at(-1)).toEqual({ fromSeq: 30, toSeq: 35, data: "uvwxy" });
  });

  it("starts a new frame when output does not follow on", () => {
    const { frames, coalescer } = setup();
    coalescer.push(0, "ab");
    coalescer.push(10, "cd");
    coalescer.flush();
    expect(frames).toEqual([
      { fromSeq: 0, toSeq: 2, data: "ab" },
      { fromSeq: 10, toSeq: 12, data: "cd" },
    ]);
  });

  it("close drops pending output and the timer", async () => {
    const { clock, frames, coalescer } = setup();
    coalescer.push(0, "a");
    coalescer.push(1, "b");
    coalescer.close();
    expect(clock.pending).toBe(0);
    await clock.advance(100);
    expect(frames).toEqual([{ fromSeq: 0, toSeq: 1, data: "a" }]);
  });
});
