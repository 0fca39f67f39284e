import { describe, expect, it } from "vitest";
import { byteAxisSteps, cpuAxisMax, formatBytes, formatPercent, formatRate } from "./units";

describe("units", () => {
  it("formats sizes with 1024 steps", () => {
    expect(formatBytes(0)).toBe("0 B");
    expect(formatBytes(740)).toBe("740 B");
    expect(formatBytes(1536)).toBe("1.5 KB");
    expect(formatBytes(512 * 1024 ** 2)).toBe("512 MB");
    expect(formatBytes(1024 ** 3)).toBe("1 GB");
    expect(formatBytes(123.4 * 1024 ** 2)).toBe("123 MB");
  });

  it("formats rates and percentages", () => {
    expect(formatRate(3_277)).toBe("3.2 KB/s");
    expect(formatPercent(4.25)).toBe("4.3 %");
    expect(formatPercent(230.4)).toBe("230 %");
  });

  it("steps byte axes in powers of two", () => {
    const steps = byteAxisSteps();
    expect(steps).toContain(64 * 1024 ** 2);
    expect(steps).not.toContain(50_000_000);
    expect([...steps].sort((a, b) => a - b)).toEqual(steps);
  });

  it("scales the CPU axis to the limit or beyond", () => {
    expect(cpuAxisMax(100, [5, null, 20])).toBe(100);
    expect(cpuAxisMax(100, [130])).toBe(130);
    expect(cpuAxisMax(0, [])).toBe(1);
  });
});
