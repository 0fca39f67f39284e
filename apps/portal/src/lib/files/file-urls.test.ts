import { describe, expect, it } from "vitest";
import { downloadUrl, isFinalUploadStatus, uploadEndpoint, uploadErrorMessage } from "./file-urls";

describe("file URLs", () => {
  it("encode the path as a query parameter", () => {
    expect(downloadUrl("s1", "world/my file#1.txt")).toBe(
      "/api/files/s1/download?path=world%2Fmy%20file%231.txt",
    );
    expect(uploadEndpoint("s1")).toBe("/api/files/s1/uploads/");
  });
});

describe("uploadErrorMessage", () => {
  it("shows the server's message, plain or as JSON", () => {
    expect(uploadErrorMessage(413, "Disk quota of 1 GB exceeded")).toBe(
      "Disk quota of 1 GB exceeded",
    );
    expect(uploadErrorMessage(413, '{"message":"Over quota by 3 MB"}')).toBe("Over quota by 3 MB");
    expect(uploadErrorMessage(400, '{"error":{"message":"Bad path"}}')).toBe("Bad path");
  });
  it("falls back to a line per status, never HTML", () => {
    expect(uploadErrorMessage(413, "<html>nginx</html>")).toMatch(/quota/);
    expect(uploadErrorMessage(null, null)).toMatch(/connection/);
    expect(uploadErrorMessage(500, "")).toBe("The upload failed (HTTP 500).");
  });
  it("clips long messages", () => {
    expect(uploadErrorMessage(400, "x".repeat(1000)).length).toBeLessThanOrEqual(300);
  });
});

describe("isFinalUploadStatus", () => {
  it("stops on client errors except the ones tus retries", () => {
    expect(isFinalUploadStatus(413)).toBe(true);
    expect(isFinalUploadStatus(403)).toBe(true);
    expect(isFinalUploadStatus(409)).toBe(false);
    expect(isFinalUploadStatus(423)).toBe(false);
    expect(isFinalUploadStatus(502)).toBe(false);
  });
});
