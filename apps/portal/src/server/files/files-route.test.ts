import { describe, expect, it } from "vitest";
import { parseFilesRoute, portalLocation } from "./files-route";

describe("parseFilesRoute", () => {
  it("maps downloads and the tus endpoint onto the agent's paths, query kept", () => {
    expect(parseFilesRoute("/api/files/s1/download?path=world%2Fa.txt")).toEqual({
      serverId: "s1",
      kind: "download",
      agentPath: "/files/s1/download?path=world%2Fa.txt",
    });
    expect(parseFilesRoute("/api/files/s1/uploads/")).toEqual({
      serverId: "s1",
      kind: "uploads",
      agentPath: "/files/s1/uploads/",
    });
    expect(parseFilesRoute("/api/files/s1/uploads")?.agentPath).toBe("/files/s1/uploads/");
    expect(parseFilesRoute("/api/files/s1/uploads/abc123")?.agentPath).toBe(
      "/files/s1/uploads/abc123",
    );
  });

  it("refuses other paths", () => {
    for (const url of [
      "/api/files/",
      "/api/files/s1",
      "/api/files/s1/list",
      "/api/files/s1/uploads/a/b",
      "/api/files/s1/uploads/..",
      "/api/files/../s1/download",
      "/api/files/s%2F1/download",
      "/api/files/s1/download/x",
    ]) {
      expect(parseFilesRoute(url), url).toBeNull();
    }
  });
});

describe("portalLocation", () => {
  it("puts the portal's prefix on the agent's upload URL and drops anything else", () => {
    expect(portalLocation("/files/s1/uploads/abc", "s1")).toBe("/api/files/s1/uploads/abc");
    expect(portalLocation("http://10.0.0.5:7000/files/s1/uploads/abc", "s1")).toBe(
      "/api/files/s1/uploads/abc",
    );
    expect(portalLocation("/files/s2/uploads/abc", "s1")).toBeNull();
    expect(portalLocation("http://evil.example/", "s1")).toBeNull();
  });
});
