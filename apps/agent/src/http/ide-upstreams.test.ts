import { describe, expect, it } from "vitest";
import type { CodeServerTarget } from "../servers/server-manager";
import { serverIdeUpstreams } from "./ide-upstreams";

function upstreams(target: CodeServerTarget, host: string | null = "172.17.0.5") {
  const asked: string[] = [];
  return {
    asked,
    upstreams: serverIdeUpstreams({
      servers: { codeServerTarget: () => target },
      hostOf: async (serverId) => {
        asked.push(serverId);
        return host;
      },
    }),
  };
}

describe("serverIdeUpstreams", () => {
  it("puts the driver's host and code-server's port together", async () => {
    const { upstreams: u } = upstreams({ ok: true, port: 6000 });
    expect(await u.resolve("s1")).toEqual({ ok: true, host: "172.17.0.5", port: 6000 });
  });

  it("answers 404 for a server not on the node and 409 when code-server cannot be reached", async () => {
    const absent = upstreams({ ok: false, reason: "absent", message: "not here" });
    expect(await absent.upstreams.resolve("s1")).toEqual({
      ok: false,
      status: 404,
      message: "not here",
    });
    expect(absent.asked).toEqual([]);
    const stopped = upstreams({
      ok: false,
      reason: "unavailable",
      message: "code-server is stopped",
    });
    expect(await stopped.upstreams.resolve("s1")).toEqual({
      ok: false,
      status: 409,
      message: "code-server is stopped",
    });
    const noAddress = upstreams({ ok: true, port: 6000 }, null);
    expect(await noAddress.upstreams.resolve("s1")).toEqual({
      ok: false,
      status: 409,
      message: "The server has no network address",
    });
  });
});
