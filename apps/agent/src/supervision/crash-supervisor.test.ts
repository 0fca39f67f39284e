import { DEFAULT_RESTART_POLICY, type RestartPolicy } from "@berth/protocol";
import { describe, expect, it } from "vitest";
import { FakeClock } from "../instance/fake-clock";
import { CrashSupervisor } from "./crash-supervisor";
import { CRASH_LOOP_REASON, nextRestart } from "./restart-policy";

const policy = DEFAULT_RESTART_POLICY;

function setup() {
  const clock = new FakeClock();
  const restarts: Array<[string, number]> = [];
  const supervisor = new CrashSupervisor({
    clock,
    restart: (serverId) => restarts.push([serverId, clock.now()]),
  });
  /** A crash now, after `uptimeMs` of uptime. */
  const crash = (serverId: string, uptimeMs: number, p: RestartPolicy = policy) =>
    supervisor.crashed(serverId, p, { at: clock.now(), uptimeMs });
  return { clock, restarts, supervisor, crash };
}

describe("CrashSupervisor with the default policy", () => {
  it("restarts after 30 s, then 60 s, and pauses at the third crash in a row", async () => {
    const { clock, restarts, supervisor, crash } = setup();
    const t0 = clock.now();

    expect(crash("s1", 5_000)).toEqual({ kind: "restart", at: t0 + 30_000 });
    expect(supervisor.restartAt("s1")).toBe(t0 + 30_000);
    await clock.advance(29_999);
    expect(restarts).toEqual([]);
    await clock.advance(1);
    expect(restarts).toEqual([["s1", t0 + 30_000]]);
    expect(supervisor.restartAt("s1")).toBeNull();

    await clock.advance(2_000);
    const t1 = clock.now();
    expect(crash("s1", 2_000)).toEqual({ kind: "restart", at: t1 + 60_000 });
    await clock.advance(60_000);
    expect(restarts.map(([, at]) => at - t0)).toEqual([30_000, 92_000]);

    await clock.advance(1_000);
    expect(crash("s1", 1_000)).toEqual({
      kind: "crash_loop",
      reason: "crash loop — auto-restart paused",
    });
    await clock.advance(600_000);
    expect(restarts).toHaveLength(2);
    expect(clock.pending).toBe(0);
  });

  it("starts the backoff over after 30 s of uptime, not before", () => {
    const { clock, crash } = setup();
    crash("s1", 1_000);
    expect(crash("s1", 29_999)).toEqual({
      kind: "restart",
      at: clock.now() + 60_000,
    });
    expect(crash("s1", 30_000)).toEqual({
      kind: "restart",
      at: clock.now() + 30_000,
    });
    // Two more short lives make the loop: the reset counted as the first crash.
    expect(crash("s1", 10).kind).toBe("restart");
    expect(crash("s1", 10).kind).toBe("crash_loop");
  });

  it("a person taking over drops the pending restart and ends the streak", async () => {
    const { clock, restarts, supervisor, crash } = setup();
    crash("s1", 0);
    crash("s1", 0);
    supervisor.takenOver("s1");
    expect(supervisor.restartAt("s1")).toBeNull();
    await clock.advance(120_000);
    expect(restarts).toEqual([]);
    expect(crash("s1", 0)).toEqual({
      kind: "restart",
      at: clock.now() + 30_000,
    });
  });

  it("after a crash loop, a start by a person starts the count over", () => {
    const { clock, supervisor, crash } = setup();
    for (let i = 0; i < 3; i++) crash("s1", 0);
    supervisor.takenOver("s1");
    expect(crash("s1", 0)).toEqual({
      kind: "restart",
      at: clock.now() + 30_000,
    });
  });

  it("keeps servers apart", async () => {
    const { clock, restarts, supervisor, crash } = setup();
    crash("a", 0);
    crash("a", 0);
    expect(crash("b", 0)).toEqual({
      kind: "restart",
      at: clock.now() + 30_000,
    });
    supervisor.takenOver("a");
    await clock.advance(60_000);
    expect(restarts.map(([id]) => id)).toEqual(["b"]);
  });
});

describe("CrashSupervisor with other policies", () => {
  it("does nothing when restarts are off", async () => {
    const { clock, restarts, crash } = setup();
    const off: RestartPolicy = { ...policy, enabled: false };
    for (let i = 0; i < 5; i++) expect(crash("s1", 0, off)).toEqual({ kind: "none" });
    await clock.advance(600_000);
    expect(restarts).toEqual([]);
  });

  it("repeats the last delay until the loop limit", () => {
    const { clock, crash } = setup();
    const p: RestartPolicy = {
      enabled: true,
      delaysMs: [300, 600],
      resetAfterMs: 2_000,
      maxConsecutiveCrashes: 5,
    };
    const delays = [1, 2, 3, 4].map(() => {
      const d = crash("s1", 10, p);
      return d.kind === "restart" ? d.at - clock.now() : d.kind;
    });
    expect(delays).toEqual([300, 600, 600, 600]);
    expect(crash("s1", 10, p).kind).toBe("crash_loop");
  });

  it("with one crash allowed, the first crash is already the loop", () => {
    const { crash } = setup();
    expect(crash("s1", 0, { ...policy, maxConsecutiveCrashes: 1 }).kind).toBe("crash_loop");
  });

  it("a new crash replaces a pending restart instead of adding one", async () => {
    const { clock, restarts, crash } = setup();
    crash("s1", 0);
    crash("s1", 0);
    expect(clock.pending).toBe(1);
    await clock.advance(60_000);
    expect(restarts).toHaveLength(1);
  });
});

describe("CrashSupervisor.dispose", () => {
  it("drops pending restarts and schedules no more", async () => {
    const { clock, restarts, supervisor, crash } = setup();
    crash("s1", 0);
    supervisor.dispose();
    expect(clock.pending).toBe(0);
    expect(crash("s2", 0)).toEqual({ kind: "none" });
    await clock.advance(600_000);
    expect(restarts).toEqual([]);
  });
});

describe("nextRestart", () => {
  it("counts the streak and picks the delay", () => {
    expect(nextRestart(policy, 0, 0)).toEqual({
      streak: 1,
      verdict: { kind: "restart", delayMs: 30_000 },
    });
    expect(nextRestart(policy, 1, 0)).toEqual({
      streak: 2,
      verdict: { kind: "restart", delayMs: 60_000 },
    });
    expect(nextRestart(policy, 2, 0)).toEqual({ streak: 3, verdict: { kind: "crash_loop" } });
    expect(nextRestart(policy, 2, 30_000)).toEqual({
      streak: 1,
      verdict: { kind: "restart", delayMs: 30_000 },
    });
    expect(CRASH_LOOP_REASON).toBe("crash loop — auto-restart paused");
  });
});
