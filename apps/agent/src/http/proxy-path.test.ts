import { describe, expect, it } from "vitest";
import { parseProxyPath } from "./proxy-path";

describe("parseProxyPath", () => {
  it("takes the server id and keeps the rest with its query", () => {
    expect(parseProxyPath("/proxy/srv-1/static/out.js?v=2&x=%2F")).toEqual({
      serverId: "srv-1",
      path: "/static/out.js?v=2&x=%2F",
    });
    expect(parseProxyPath("/proxy/srv-1/")).toEqual({ serverId: "srv-1", path: "/" });
  });

  it("treats a bare server path as code-server's root", () => {
    expect(parseProxyPath("/proxy/srv-1")).toEqual({ serverId: "srv-1", path: "/" });
    expect(parseProxyPath("/proxy/srv-1?folder=/x")).toEqual({
      serverId: "srv-1",
      path: "/?folder=/x",
    });
  });

  it("refuses other paths and server ids that are not ids", () => {
    for (const url of [
      "/",
      "/proxy",
      "/proxy/",
      "/proxy//x",
      "/proxyx/srv-1/",
      "/other/srv-1/",
      "/proxy/..%2F/x",
      "/proxy/a.b/x",
      `/proxy/${"a".repeat(65)}/x`,
    ]) {
      expect(parseProxyPath(url), url).toBeNull();
    }
  });
});
