import { describe, expect, it } from "vitest";
import { AccessCache } from "./access-cache";

function setup(answers: Record<string, string | null>) {
  let t = 0;
  const calls: string[] = [];
  const pending: Array<() => void> = [];
  let hold = false;
  const cache = new AccessCache<string>({
    ttlMs: 2000,
    now: () => t,
    check: (key) => {
      calls.push(key);
      const answer = answers[key] ?? null;
      if (!hold) return Promise.resolve(answer);
      return new Promise((resolve) => pending.push(() => resolve(answer)));
    },
  });
  return {
    cache,
    calls,
    advance: (ms: number) => (t += ms),
    holdChecks: () => (hold = true),
    release: () => pending.splice(0).forEach((go) => go()),
  };
}

describe("AccessCache", () => {
  it("checks once, then answers from the cache until the TTL runs out", async () => {
    const { cache, calls, advance } = setup({ s1: "grant" });
    expect(cache.fresh("s1")).toBeUndefined();
    expect(await cache.get("s1")).toBe("grant");
    expect(cache.fresh("s1")).toBe("grant");
    advance(1999);
    expect(await cache.get("s1")).toBe("grant");
    expect(calls).toEqual(["s1"]);
    advance(1);
    expect(cache.fresh("s1")).toBeUndefined();
    expect(await cache.get("s1")).toBe("grant");
    expect(calls).toEqual(["s1", "s1"]);
  });

  it("never caches a refusal", async () => {
    const answers: Record<string, string | null> = { s1: null };
    const { cache, calls } = setup(answers);
    expect(await cache.get("s1")).toBeNull();
    expect(await cache.get("s1")).toBeNull();
    expect(calls).toHaveLength(2);
    answers.s1 = "grant";
    expect(await cache.get("s1")).toBe("grant");
  });

  it("notices a revocation within the TTL", async () => {
    const answers: Record<string, string | null> = { s1: "grant" };
    const { cache, advance } = setup(answers);
    await cache.get("s1");
    answers.s1 = null;
    advance(500);
    expect(await cache.get("s1")).toBe("grant");
    advance(1500);
    expect(await cache.get("s1")).toBeNull();
    expect(cache.fresh("s1")).toBeUndefined();
  });

  it("shares one lookup between concurrent checks of a key", async () => {
    const { cache, calls, holdChecks, release } = setup({ s1: "grant", s2: "other" });
    holdChecks();
    const a = cache.get("s1");
    const b = cache.get("s1");
    const c = cache.get("s2");
    release();
    expect(await Promise.all([a, b, c])).toEqual(["grant", "grant", "other"]);
    expect(calls).toEqual(["s1", "s2"]);
  });

  it("counts the TTL from the start of the lookup", async () => {
    const { cache, advance, holdChecks, release } = setup({ s1: "grant" });
    holdChecks();
    const pending = cache.get("s1");
    advance(1500);
    release();
    await pending;
    advance(500);
    expect(cache.fresh("s1")).toBeUndefined();
  });

  it("does not cache the answer of a lookup that was running when the key was forgotten", async () => {
    const { cache, holdChecks, release } = setup({ s1: "grant" });
    holdChecks();
    const pending = cache.get("s1");
    cache.forget("s1");
    release();
    expect(await pending).toBe("grant");
    expect(cache.fresh("s1")).toBeUndefined();
    const again = cache.get("s1");
    release();
    await again;
    expect(cache.fresh("s1")).toBe("grant");
    cache.clear();
    expect(cache.fresh("s1")).toBeUndefined();
  });
});
