import { describe, expect, it } from "vitest";
import { contentDisposition } from "../transfers/download";
import { formatBytes } from "../transfers/uploads";
import { parseFilesPath } from "./files-path";

describe("parseFilesPath", () => {
  it("reads downloads with their path and the tus endpoint with or without an upload", () => {
    expect(parseFilesPath("/files/s1/download?path=world%2Fa%20b.txt")).toEqual({
      serverId: "s1",
      kind: "download",
      path: "world/a b.txt",
    });
    expect(parseFilesPath("/files/s1/download")).toEqual({
      serverId: "s1",
      kind: "download",
      path: "",
    });
    expect(parseFilesPath("/files/s1/uploads")).toEqual({
      serverId: "s1",
      kind: "uploads",
      uploadId: null,
    });
    expect(parseFilesPath("/files/s1/uploads/")).toEqual({
      serverId: "s1",
      kind: "uploads",
      uploadId: null,
    });
    expect(parseFilesPath("/files/s1/uploads/ab12")).toEqual({
      serverId: "s1",
      kind: "uploads",
      uploadId: "ab12",
    });
  });

  it("refuses anything else", () => {
    for (const url of [
      "/proxy/s1/",
      "/files/",
      "/files/s1",
      "/files/s1/list",
      "/files/s1/download/x",
      "/files/s1/uploads/a/b",
      "/files/s1/uploads/a.json",
      "/files/s%2F1/download",
      "/files/../download",
    ]) {
      expect(parseFilesPath(url), url).toBeNull();
    }
  });
});

describe("contentDisposition", () => {
  it("gives an ASCII fallback and the exact UTF-8 name", () => {
    expect(contentDisposition("plain.txt")).toBe(
      `attachment; filename="plain.txt"; filename*=UTF-8''plain.txt`,
    );
    expect(contentDisposition(`wörld "1" 100%.tar.gz`)).toBe(
      `attachment; filename="w_rld _1_ 100_.tar.gz"; filename*=UTF-8''w%C3%B6rld%20%221%22%20100%25.tar.gz`,
    );
    expect(contentDisposition("it's (1).txt")).toBe(
      `attachment; filename="it's (1).txt"; filename*=UTF-8''it%27s%20%281%29.txt`,
    );
  });
});

describe("formatBytes", () => {
  it("shows sizes as people read them", () => {
    expect(formatBytes(512)).toBe("512 bytes");
    expect(formatBytes(1536)).toBe("1.5 KiB");
    expect(formatBytes(10 * 1024 * 1024)).toBe("10 MiB");
    expect(formatBytes(300 * 1024 * 1024 * 1024)).toBe("300 GiB");
  });
});
