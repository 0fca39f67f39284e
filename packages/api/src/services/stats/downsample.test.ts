import { describe, expect, it } from "vitest";
import type { StatsSample } from "@berth/protocol";
import { StatsDownsampler } from "./downsample";

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const sample = (at: number, extra: Partial<StatsSample> = {}): StatsSample => ({
  serverId: "s1",
  at,
  cpuPercent: 10,
  memoryBytes: 1000,
  memoryLimitBytes: 4096,
  rxBytes: 0,
  txBytes: 0,
  ...extra,
});
const rowsOf = (d: StatsDownsampler, resolutionS: number) =>
  d.drain().filter((r) => r.resolutionS === resolutionS);

describe("StatsDownsampler", () => {
  it("averages samples into 10 s and 5 min buckets aligned to the epoch", () => {
    const d = new StatsDownsampler();
    d.add(sample(T0 + 1000, { cpuPercent: 10, memoryBytes: 100 }));
    d.add(sample(T0 + 3000, { cpuPercent: 30, memoryBytes: 300 }));
    d.add(sample(T0 + 11_000, { cpuPercent: 50, memoryBytes: 500 }));
    const rows = d.drain();
    const fine = rows.filter((r) => r.resolutionS === 10);
    expect(fine).toEqual([
      expect.objectContaining({ bucketAt: T0, samples: 2, cpuPercent: 20, memoryBytes: 200 }),
      expect.objectContaining({ bucketAt: T0 + 10_000, samples: 1, cpuPercent: 50 }),
    ]);
    const coarse = rows.filter((r) => r.resolutionS === 300);
    expect(coarse).toEqual([
      expect.objectContaining({ bucketAt: T0, samples: 3, cpuPercent: 30, memoryBytes: 300 }),
    ]);
  });

  it("derives byte rates from counter deltas", () => {
    const d = new StatsDownsampler();
    d.add(sample(T0, { rxBytes: 1000, txBytes: 0 }));
    d.add(sample(T0 + 2000, { rxBytes: 5000, txBytes: 200 })); // 2000 B/s, 100 B/s
    d.add(sample(T0 + 4000, { rxBytes: 7000, txBytes: 600 })); // 1000 B/s, 200 B/s
    const [row] = rowsOf(d, 10);
    expect(row).toMatchObject({ rxRate: 1500, txRate: 150 });
  });

  it("makes no rate across a counter reset (restart) or a long gap", () => {
    const d = new StatsDownsampler();
    d.add(sample(T0, { rxBytes: 10_000 }));
    d.add(sample(T0 + 2000, { rxBytes: 100 })); // the process restarted: counters start over
    d.add(sample(T0 + 4000, { rxBytes: 2100 })); // 1000 B/s
    expect(rowsOf(d, 10)[0]).toMatchObject({ rxRate: 1000 });
    d.add(sample(T0 + 60_000, { rxBytes: 1_000_000 })); // 56 s later: no rate
    expect(rowsOf(d, 10)[0]).toMatchObject({ rxRate: 0, samples: 1 });
  });

  it("drains only what came since the last drain, and ignores repeats", () => {
    const d = new StatsDownsampler();
    d.add(sample(T0 + 1000));
    expect(d.drain()).toHaveLength(2);
    d.add(sample(T0 + 1000)); // resent
    d.add(sample(T0 + 500)); // older
    expect(d.drain()).toEqual([]);
    d.add(sample(T0 + 3000, { cpuPercent: 40 }));
    expect(rowsOf(d, 10)).toEqual([expect.objectContaining({ samples: 1, cpuPercent: 40 })]);
  });

  it("keeps servers apart and forgets counters of servers that stopped reporting", () => {
    const d = new StatsDownsampler();
    d.add(sample(T0, { rxBytes: 0 }));
    d.add(sample(T0, { serverId: "s2", rxBytes: 0 }));
    expect(new Set(d.drain().map((r) => r.serverId))).toEqual(new Set(["s1", "s2"]));
    d.add(sample(T0 + 2000, { serverId: "s2", rxBytes: 2000 }));
    d.drain(T0 + 1000); // s1 last reported at T0: forgotten
    d.add(sample(T0 + 4000, { rxBytes: 4000 }));
    expect(rowsOf(d, 10)[0]).toMatchObject({ serverId: "s1", rxRate: 0 });
  });
});
