import { describe, expect, it } from "vitest";
import { timeRange } from "./chart-options";

describe("timeRange", () => {
  it("shows one sample in the minute before it, not in the day uPlot pads it to", () => {
    expect(timeRange([1_000], 1_000, 1_000 + 86_400)).toEqual([940, 1_000]);
  });

  it("shows a few seconds of samples as the minute ending with the last one", () => {
    expect(timeRange([1_000, 1_002, 1_004], 1_000, 1_004)).toEqual([944, 1_004]);
  });

  it("shows longer histories from the first sample to the last", () => {
    expect(timeRange([1_000, 1_500, 1_900], 1_000, 1_900)).toEqual([1_000, 1_900]);
  });

  it("leaves an empty chart to uPlot", () => {
    expect(timeRange([], 5, 10)).toEqual([5, 10]);
  });
});
