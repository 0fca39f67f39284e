import { describe, expect, it } from "vitest";
import { TokenBucket, tryTakeAll } from "./token-bucket";

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe("TokenBucket", () => {
  it("starts full and allows a burst of its capacity, then refuses", () => {
    const { now } = clock();
    const bucket = new TokenBucket({ capacity: 10, refillPerSecond: 1, now });
    for (let i = 0; i < 10; i++) expect(bucket.tryTake(1)).toBe(true);
    expect(bucket.tryTake(1)).toBe(false);
  });

  it("refills at its rate and never above capacity", () => {
    const c = clock();
    const bucket = new TokenBucket({ capacity: 10, refillPerSecond: 1, now: c.now });
    expect(bucket.tryTake(10)).toBe(true);
    c.advance(999);
    expect(bucket.tryTake(1)).toBe(false);
    c.advance(1);
    expect(bucket.tryTake(1)).toBe(true);
    c.advance(60_000);
    expect(bucket.available).toBe(10);
  });

  it("takes nothing when a request is larger than what is there", () => {
    const c = clock();
    const bucket = new TokenBucket({ capacity: 100, refillPerSecond: 50, now: c.now });
    expect(bucket.tryTake(60)).toBe(true);
    expect(bucket.tryTake(60)).toBe(false);
    expect(bucket.available).toBe(40);
    expect(bucket.tryTake(101)).toBe(false);
  });

  it("ignores a clock that goes backwards", () => {
    const c = clock();
    const bucket = new TokenBucket({ capacity: 2, refillPerSecond: 1, now: c.now });
    bucket.tryTake(2);
    c.advance(-5000);
    expect(bucket.available).toBe(0);
    c.advance(1000);
    expect(bucket.available).toBe(1);
  });

  it("rejects nonsense settings", () => {
    expect(() => new TokenBucket({ capacity: 0, refillPerSecond: 1, now: Date.now })).toThrow();
    expect(() => new TokenBucket({ capacity: 1, refillPerSecond: 0, now: Date.now })).toThrow();
  });
});

describe("tryTakeAll", () => {
  it("takes from all buckets or from none", () => {
    const { now } = clock();
    const lines = new TokenBucket({ capacity: 1, refillPerSecond: 1, now });
    const bytes = new TokenBucket({ capacity: 100, refillPerSecond: 100, now });
    expect(
      tryTakeAll([
        [lines, 1],
        [bytes, 200],
      ]),
    ).toBe(false);
    expect(lines.available).toBe(1);
    expect(
      tryTakeAll([
        [lines, 1],
        [bytes, 50],
      ]),
    ).toBe(true);
    expect(lines.available).toBe(0);
    expect(bytes.available).toBe(50);
  });
});
