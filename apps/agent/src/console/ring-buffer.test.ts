import { describe, expect, it } from "vitest";
import { RingBuffer, utf8Bytes } from "./ring-buffer";
import { randomText, seededRandom } from "./test-support";

const joined = (chunks: { text: string }[]) => chunks.map((c) => c.text).join("");

describe("RingBuffer", () => {
  it("numbers output by character offset and replays everything held", () => {
    const ring = new RingBuffer();
    expect(ring.append("hello ")).toBe(0);
    expect(ring.append("world\n")).toBe(6);
    expect(ring.lastSeq).toBe(12);
    const replay = ring.since(0);
    expect(replay).toMatchObject({ fromSeq: 0, toSeq: 12, gap: false });
    expect(joined(replay.chunks)).toBe("hello world\n");
  });

  it("resumes mid-chunk with exactly the missing characters", () => {
    const ring = new RingBuffer();
    ring.append("abcdef");
    ring.append("ghij");
    expect(joined(ring.since(3).chunks)).toBe("defghij");
    expect(ring.since(3).chunks[0]).toEqual({ seq: 3, text: "defghij" });
    expect(ring.since(10)).toMatchObject({ chunks: [], gap: false, fromSeq: 10, toSeq: 10 });
  });

  it("gives the exact missing bytes across many random splits (seeded)", () => {
    for (let seed = 1; seed <= 100; seed++) {
      const random = seededRandom(seed);
      const ring = new RingBuffer({ capacityBytes: 4096, chunkChars: 64 });
      let all = "";
      let seen = 0;
      let got = "";
      for (let i = 0; i < 60; i++) {
        const text = randomText(random, 1 + Math.floor(random() * 120));
        expect(ring.append(text)).toBe(all.length);
        all += text;
        if (random() < 0.3) {
          const replay = ring.since(seen);
          expect(replay.gap).toBe(false);
          got += joined(replay.chunks);
          seen = replay.toSeq;
        }
        expect(ring.bytes).toBeLessThanOrEqual(4096);
      }
      got += joined(ring.since(seen).chunks);
      expect(got).toBe(all);
      const held = ring.since(ring.firstSeq);
      expect(joined(held.chunks)).toBe(all.slice(ring.firstSeq));
    }
  });

  it("flags a gap when resuming from an evicted offset and returns all it holds", () => {
    const ring = new RingBuffer({ capacityBytes: 100, chunkChars: 10 });
    let all = "";
    for (let i = 0; i < 50; i++) {
      const line = `line ${i}\n`;
      ring.append(line);
      all += line;
    }
    expect(ring.bytes).toBeLessThanOrEqual(100);
    expect(ring.firstSeq).toBeGreaterThan(0);
    const replay = ring.since(5);
    expect(replay.gap).toBe(true);
    expect(replay.fromSeq).toBe(ring.firstSeq);
    expect(joined(replay.chunks)).toBe(all.slice(ring.firstSeq));
    // An offset from another run (past the end) is treated as a gap as well.
    expect(ring.since(all.length + 1).gap).toBe(true);
  });

  it("keeps a single huge write within capacity, keeping its tail", () => {
    const ring = new RingBuffer({ capacityBytes: 1024 });
    ring.append("old output\n");
    const huge = "x".repeat(10_000) + "END";
    expect(ring.append(huge)).toBe(11);
    expect(ring.lastSeq).toBe(11 + huge.length);
    expect(ring.bytes).toBeLessThanOrEqual(1024);
    const replay = ring.since(0);
    expect(replay.gap).toBe(true);
    expect(joined(replay.chunks)).toBe(huge.slice(huge.length - (ring.lastSeq - ring.firstSeq)));
    expect(joined(replay.chunks).endsWith("END")).toBe(true);
  });

  it("counts UTF-8 bytes and never splits a surrogate pair", () => {
    const ring = new RingBuffer({ capacityBytes: 64, chunkChars: 3 });
    ring.append("😀😀😀😀😀😀😀😀😀😀");
    expect(ring.bytes).toBeLessThanOrEqual(64);
    for (const chunk of ring.since(ring.firstSeq).chunks) {
      expect(utf8Bytes(chunk.text)).toBe(Buffer.from(chunk.text, "utf8").length);
      expect(chunk.text).not.toMatch(/[\ud800-\udbff]$/);
      expect(chunk.text).not.toMatch(/^[\udc00-\udfff]/);
    }
  });

  it("merges small writes so many tiny writes do not make many chunks", () => {
    const ring = new RingBuffer({ capacityBytes: 1024, chunkChars: 100 });
    for (let i = 0; i < 1000; i++) ring.append("a");
    expect(ring.since(ring.firstSeq).chunks.length).toBeLessThanOrEqual(11);
  });

  it("rejects a capacity too small to hold anything", () => {
    expect(() => new RingBuffer({ capacityBytes: 1 })).toThrow(RangeError);
  });
});
