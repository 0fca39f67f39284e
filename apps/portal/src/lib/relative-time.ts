const UNITS: ReadonlyArray<readonly [suffix: string, seconds: number]> = [
  ["d", 86_400],
  ["h", 3_600],
  ["m", 60],
  ["s", 1],
];

/** "just now", "12s ago", "5m ago", "3h ago", "2d ago", "in 14m" — compact, for tables. */
export function formatRelative(date: Date, now: number): string {
  const seconds = Math.round((now - date.getTime()) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 5) return "just now";
  for (const [suffix, size] of UNITS) {
    if (abs >= size) {
      const value = Math.floor(abs / size);
      return seconds >= 0 ? `${value}${suffix} ago` : `in ${value}${suffix}`;
    }
  }
  return "just now";
}

/** Full local date and time, for tooltips. */
export function formatAbsolute(date: Date): string {
  return date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "medium" });
}
