import { describe, expect, it } from "vitest";
import { OutputThrottle } from "./output-throttle";

describe("OutputThrottle", () => {
  it("passes output within the limits", () => {
    const throttle = new OutputThrottle();
    for (let i = 0; i < 1000; i++) {
      expect(throttle.check("line\n", i / 10)).toEqual({ accepted: true, episodeStarted: false });
    }
    expect(throttle.throttled).toBe(false);
  });

  it("drops the rest of the window past the line limit and reports the episode once", () => {
    const throttle = new OutputThrottle({ windowMs: 100, maxLines: 10 });
    const results = Array.from({ length: 20 }, () => throttle.check("y\n", 0));
    expect(results.slice(0, 10).every((r) => r.accepted)).toBe(true);
    expect(results[10]).toEqual({ accepted: false, episodeStarted: true });
    expect(results.slice(11).every((r) => !r.accepted && !r.episodeStarted)).toBe(true);
    expect(throttle.throttled).toBe(true);
    expect(throttle.droppedBytes).toBe(20);
  });

  it("applies the byte cap to output without line breaks", () => {
    const throttle = new OutputThrottle({ maxBytes: 100 });
    expect(throttle.check("x".repeat(100), 0).accepted).toBe(true);
    expect(throttle.check("x", 1)).toEqual({ accepted: false, episodeStarted: true });
  });

  it("keeps one episode across flooded windows and ends it after a window within limits", () => {
    const throttle = new OutputThrottle({ windowMs: 100, maxLines: 5 });
    const flood = (at: number) => Array.from({ length: 10 }, () => throttle.check("y\n", at));
    expect(flood(0).filter((r) => r.episodeStarted)).toHaveLength(1);
    // The next window accepts up to the limit again but is still the same episode.
    const second = flood(100);
    expect(second.filter((r) => r.accepted)).toHaveLength(5);
    expect(second.filter((r) => r.episodeStarted)).toHaveLength(0);
    // A window within the limits ends it.
    expect(throttle.check("fine\n", 200).accepted).toBe(true);
    expect(throttle.throttled).toBe(true);
    expect(throttle.check("fine\n", 300).accepted).toBe(true);
    expect(throttle.throttled).toBe(false);
    expect(flood(400).filter((r) => r.episodeStarted)).toHaveLength(1);
    expect(throttle.episodeCount).toBe(2);
  });

  it("ends an episode after a quiet window", () => {
    const throttle = new OutputThrottle({ windowMs: 100, maxLines: 1 });
    throttle.check("a\nb\n", 0);
    expect(throttle.throttled).toBe(true);
    expect(throttle.check("a\nb\n", 250)).toEqual({ accepted: false, episodeStarted: true });
  });
});
