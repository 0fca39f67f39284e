import { describe, expect, it } from "vitest";
import { formatBytes, splitFieldError } from "./field-errors";

describe("splitFieldError", () => {
  const fields = ["sha256", "artifactUrl"] as const;

  it("puts a known field's message next to that field", () => {
    expect(splitFieldError("sha256: The sha256 must be 64 hex characters.", fields)).toEqual({
      field: "sha256",
      message: "The sha256 must be 64 hex characters.",
    });
  });

  it("keeps other messages for the whole form", () => {
    expect(splitFieldError("Version 1 of node already exists.", fields)).toEqual({
      field: null,
      message: "Version 1 of node already exists.",
    });
    expect(splitFieldError("binPath: Use a relative path.", fields).field).toBeNull();
  });
});

describe("formatBytes", () => {
  it("uses the largest fitting unit", () => {
    expect(formatBytes(512)).toBe("512 bytes");
    expect(formatBytes(1536)).toBe("1.5 KiB");
    expect(formatBytes(30_000_000)).toBe("28.6 MiB");
    expect(formatBytes(200 * 1024 * 1024)).toBe("200 MiB");
  });
});
