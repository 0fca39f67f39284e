/**
 * Units for the usage charts. Sizes use 1024 steps and the labels the rest of the portal uses
 * (KB, MB, GB), so a 512 MB limit on the Limits card is a 512 MB line on the chart.
 */

const SIZE_UNITS = ["B", "KB", "MB", "GB", "TB"] as const;

function scaled(bytes: number): { value: number; unit: (typeof SIZE_UNITS)[number] } {
  let value = Math.abs(bytes);
  let i = 0;
  while (value >= 1024 && i < SIZE_UNITS.length - 1) {
    value /= 1024;
    i++;
  }
  return { value: Math.sign(bytes) * value, unit: SIZE_UNITS[i]! };
}

function trim(value: number): string {
  const digits = Math.abs(value) >= 100 || Number.isInteger(value) ? 0 : 1;
  return value.toLocaleString("en-US", { maximumFractionDigits: digits });
}

/** "0 B", "740 B", "12.5 MB", "1 GB" */
export function formatBytes(bytes: number): string {
  const { value, unit } = scaled(bytes);
  return `${trim(value)} ${unit}`;
}

/** "0 B/s", "3.2 KB/s" */
export function formatRate(bytesPerSecond: number): string {
  return `${formatBytes(bytesPerSecond)}/s`;
}

/** "12.5 %", "230 %" (a server with several cores can pass 100). */
export function formatPercent(percent: number): string {
  return `${percent.toLocaleString("en-US", { maximumFractionDigits: percent >= 10 ? 0 : 1 })} %`;
}

/**
 * Tick steps for byte axes: 1, 2, 4 … 512 of each unit, so ticks land on 64 MB rather than on
 * 50,000,000 bytes.
 */
export function byteAxisSteps(): number[] {
  const steps: number[] = [];
  for (let power = 0; power < SIZE_UNITS.length; power++) {
    for (let m = 1; m < 1024; m *= 2) steps.push(m * 1024 ** power);
  }
  return steps;
}

/** The CPU axis shows at least the server's CPU limit, more when a sample passes it. */
export function cpuAxisMax(limitPercent: number, values: ReadonlyArray<number | null>): number {
  let max = Math.max(limitPercent, 1);
  for (const v of values) if (v !== null && v > max) max = v;
  return max;
}
