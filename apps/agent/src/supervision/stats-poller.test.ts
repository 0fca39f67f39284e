import type { StatsSample } from "@berth/protocol";
import { describe, expect, it } from "vitest";
import type { ServerStats } from "../drivers/driver";
import { FakeClock, settle } from "../instance/fake-clock";
import { memoryLog } from "../instance/test-fixture";
import { StatsPoller } from "./stats-poller";

const usage = (memoryBytes: number): ServerStats => ({
  cpuPercent: 12.5,
  memoryBytes,
  memoryLimitBytes: 1024,
  rxBytes: 10,
  txBytes: 20,
});

function setup(live: string[], read: (id: string) => Promise<ServerStats | null>) {
  const clock = new FakeClock();
  const batches: StatsSample[][] = [];
  const log = memoryLog();
  const poller = new StatsPoller({
    clock,
    servers: () => live,
    stats: read,
    onSamples: (samples) => batches.push(samples),
    log,
  });
  return { clock, batches, log, poller };
}

describe("StatsPoller", () => {
  it("sends one batch every 2 s with a sample of each live server", async () => {
    const { clock, batches, poller } = setup(["a", "b"], async (id) => usage(id === "a" ? 1 : 2));
    poller.start();
    await clock.advance(1_999);
    expect(batches).toEqual([]);
    await clock.advance(1);
    expect(batches).toEqual([
      [
        {
          serverId: "a",
          at: clock.now(),
          cpuPercent: 12.5,
          memoryBytes: 1,
          memoryLimitBytes: 1024,
          rxBytes: 10,
          txBytes: 20,
        },
        expect.objectContaining({ serverId: "b", memoryBytes: 2 }),
      ],
    ]);
    await clock.advance(4_000);
    expect(batches).toHaveLength(3);
    poller.stop();
    await clock.advance(10_000);
    expect(batches).toHaveLength(3);
    expect(clock.pending).toBe(0);
  });

  it("sends nothing on a tick without samples", async () => {
    const { clock, batches, poller } = setup(["a"], async () => null);
    poller.start();
    await clock.advance(6_000);
    expect(batches).toEqual([]);
    const none = setup([], async () => usage(1));
    none.poller.start();
    await none.clock.advance(6_000);
    expect(none.batches).toEqual([]);
  });

  it("leaves out the all-zero reading of a process that has just exited", async () => {
    const exited: ServerStats = { ...usage(0), memoryLimitBytes: 0, cpuPercent: 0 };
    const { clock, batches, poller } = setup(["a", "b"], async (id) =>
      id === "a" ? exited : usage(5),
    );
    poller.start();
    await clock.advance(2_000);
    expect(batches.map((batch) => batch.map((s) => s.serverId))).toEqual([["b"]]);
  });

  it("keeps the latest sample per server until a round finds it no longer alive", async () => {
    let memory = 100;
    const live = ["a"];
    const { batches, poller } = setup(live, async () => usage(memory));
    await poller.tick();
    memory = 900;
    await poller.tick();
    expect(poller.latest("a")).toMatchObject({ memoryBytes: 900 });
    expect(poller.latest("b")).toBeNull();
    live.length = 0;
    expect(poller.latest("a")).toMatchObject({ memoryBytes: 900 });
    await poller.tick();
    expect(poller.latest("a")).toBeNull();
    expect(batches).toHaveLength(2);
  });

  it("a server whose stats fail is left out and logged; the others are sent", async () => {
    const { batches, log, poller } = setup(["a", "b"], async (id) => {
      if (id === "a") throw new Error("engine busy");
      return usage(5);
    });
    await poller.tick();
    expect(batches).toEqual([[expect.objectContaining({ serverId: "b" })]]);
    expect(log.entries.map((e) => e.msg)).toEqual(["cannot read server stats"]);
  });

  it("never overlaps ticks: a slow round delays the next one", async () => {
    const { clock, poller } = setup(["a"], () => new Promise(() => {}));
    poller.start();
    await clock.advance(2_000);
    await clock.advance(10_000);
    await settle();
    expect(clock.pending).toBe(0);
  });

  it("makes counters whole, non-negative numbers", async () => {
    const { batches, poller } = setup(["a"], async () => ({
      cpuPercent: Number.NaN,
      memoryBytes: 10.6,
      memoryLimitBytes: -1,
      rxBytes: Number.POSITIVE_INFINITY,
      txBytes: 3,
    }));
    await poller.tick();
    expect(batches[0]?.[0]).toMatchObject({
      cpuPercent: 0,
      memoryBytes: 11,
      memoryLimitBytes: 0,
      rxBytes: 0,
      txBytes: 3,
    });
  });
});
