import { describe, expect, it } from "vitest";
import { formatRelative } from "./relative-time";

const now = Date.parse("2026-01-01T12:00:00Z");
const ago = (ms: number) => new Date(now - ms);

describe("formatRelative", () => {
  it("says just now for the last few seconds", () => {
    expect(formatRelative(ago(0), now)).toBe("just now");
    expect(formatRelative(ago(4_000), now)).toBe("just now");
  });

  it("picks the largest whole unit", () => {
    expect(formatRelative(ago(12_000), now)).toBe("12s ago");
    expect(formatRelative(ago(5 * 60_000 + 30_000), now)).toBe("5m ago");
    expect(formatRelative(ago(3 * 3_600_000), now)).toBe("3h ago");
    expect(formatRelative(ago(2 * 86_400_000 + 5), now)).toBe("2d ago");
  });

  it("handles times in the future", () => {
    expect(formatRelative(new Date(now + 14 * 60_000), now)).toBe("in 14m");
  });
});
