import { describe, expect, it } from "vitest";
import {
  appendPoints,
  pointsFromSamples,
  toColumns,
  withHistory,
  type CounterSample,
  type StatsPoint,
} from "./stats-series";

const sample = (at: number, rxBytes: number, txBytes: number): CounterSample => ({
  at,
  cpuPercent: 10,
  memoryBytes: 100,
  memoryLimitBytes: 1000,
  rxBytes,
  txBytes,
});

const point = (at: number): StatsPoint => ({
  at,
  cpuPercent: 1,
  memoryBytes: 1,
  memoryLimitBytes: 2,
  rxRate: 0,
  txRate: 0,
});

describe("pointsFromSamples", () => {
  it("derives byte rates from counters", () => {
    const { points, last } = pointsFromSamples(null, [
      sample(2_000, 1_000, 0),
      sample(4_000, 5_000, 200),
    ]);
    expect(points.map((p) => [p.rxRate, p.txRate])).toEqual([
      [null, null],
      [2_000, 100],
    ]);
    expect(last?.at).toBe(4_000);
  });

  it("continues from the previous batch and skips what it has seen", () => {
    const first = pointsFromSamples(null, [sample(2_000, 0, 0)]);
    const next = pointsFromSamples(first.last, [sample(2_000, 0, 0), sample(4_000, 4_096, 0)]);
    expect(next.points).toHaveLength(1);
    expect(next.points[0]?.rxRate).toBe(2_048);
  });

  it("has no rate across a process restart (counters start over)", () => {
    const { points } = pointsFromSamples(sample(2_000, 9_000, 9_000), [sample(4_000, 100, 50)]);
    expect(points[0]).toMatchObject({ rxRate: null, txRate: null });
  });

  it("sorts samples that arrive out of order", () => {
    const { points } = pointsFromSamples(null, [sample(4_000, 10, 0), sample(2_000, 0, 0)]);
    expect(points.map((p) => p.at)).toEqual([2_000, 4_000]);
  });
});

describe("appendPoints", () => {
  it("takes only points newer than the newest held", () => {
    const held = [point(1_000), point(3_000)];
    const merged = appendPoints(held, [point(2_000), point(3_000), point(5_000)], 60_000);
    expect(merged.map((p) => p.at)).toEqual([1_000, 3_000, 5_000]);
  });

  it("drops points that fall out of the window", () => {
    const merged = appendPoints([point(0), point(5_000)], [point(12_000)], 10_000);
    expect(merged.map((p) => p.at)).toEqual([5_000, 12_000]);
  });

  it("is empty for empty input", () => {
    expect(appendPoints([], [], 1_000)).toEqual([]);
  });
});

describe("toColumns", () => {
  it("uses seconds for time and breaks the lines where the server was down", () => {
    const columns = toColumns([point(0), point(2_000), point(4_000), point(60_000), point(62_000)]);
    expect(columns.time).toEqual([0, 2, 4, 4.001, 60, 62]);
    expect(columns.cpu).toEqual([1, 1, 1, null, 1, 1]);
    expect(columns.rx[3]).toBeNull();
  });

  it("leaves out a memory limit that was not reported", () => {
    const columns = toColumns([point(0), { ...point(2_000), memoryLimitBytes: 0 }]);
    expect(columns.memoryLimit).toEqual([2, null]);
  });

  it("does not break downsampled history at its own step", () => {
    const minute = 60_000;
    const columns = toColumns([
      point(0),
      point(minute),
      point(2 * minute),
      point(2 * minute + 2_000),
    ]);
    expect(columns.cpu).not.toContain(null);
  });
});

describe("withHistory", () => {
  it("puts stored history before the live points and drops its overlap", () => {
    const merged = withHistory(
      [point(0), point(60_000), point(120_000)],
      [point(100_000), point(102_000)],
      3_600_000,
    );
    expect(merged.map((p) => p.at)).toEqual([0, 60_000, 100_000, 102_000]);
  });

  it("is the history alone before anything live arrived", () => {
    expect(withHistory([point(2_000), point(0)], [], 60_000).map((p) => p.at)).toEqual([0, 2_000]);
  });
});
