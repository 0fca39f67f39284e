// The listener's admission, with upstreams given by the test: which requests are refused, with
// which status and body, before anything is forwarded.
import { request } from "node:http";
import { NODE_GRANT_HEADER } from "@berth/protocol";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startIdeListener, type IdeListener } from "./ide-listener";
import type { IdeUpstream } from "./ide-upstreams";
import { signTestGrant, testGrantKey } from "./test-grants";

const NODE = "node-a";
const key = testGrantKey();
let grantKey: string | null = key;
const upstreams = new Map<string, IdeUpstream>([
  ["absent", { ok: false, status: 404, message: "Server absent is not on this node" }],
  ["stopped", { ok: false, status: 409, message: "The server is offline, not running" }],
]);
const resolved: string[] = [];
let listener: IdeListener;

beforeAll(async () => {
  listener = await startIdeListener({
    listen: { host: "127.0.0.1", port: 0 },
    nodeId: NODE,
    grantKey: () => grantKey,
    upstreams: {
      resolve: async (serverId) => {
        resolved.push(serverId);
        if (serverId === "broken") throw new Error("boom");
        return upstreams.get(serverId) ?? { ok: false, status: 404, message: "unknown" };
      },
    },
    log: pino({ enabled: false }),
  });
});

afterAll(() => listener?.close());

function get(path: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; body: unknown }>((resolve, reject) => {
    const req = request(`${listener.url}${path}`, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () =>
        resolve({
          status: res.statusCode!,
          body: JSON.parse(Buffer.concat(chunks).toString()) as unknown,
        }),
      );
    });
    req.on("error", reject);
    req.end();
  });
}

const grantFor = async (serverId: string) => ({
  [NODE_GRANT_HEADER]: await signTestGrant({ key, nodeId: NODE, serverId }),
});

describe("the IDE listener's admission", () => {
  it("says where it is: http://<listen host>:<bound port>", () => {
    expect(listener.url).toBe(`http://127.0.0.1:${listener.address.port}`);
    expect(listener.address.port).toBeGreaterThan(0);
  });

  it("answers 404 for anything but /proxy/<serverId>/…", async () => {
    for (const path of ["/", "/health", "/proxy/", "/proxy/a.b/x"]) {
      expect(await get(path, await grantFor("stopped"))).toEqual({
        status: 404,
        body: { code: "NOT_FOUND", message: "No such path" },
      });
    }
  });

  it("answers 401 without a grant, or with one that does not hold", async () => {
    expect(await get("/proxy/stopped/")).toEqual({
      status: 401,
      body: { code: "UNAUTHORIZED", message: "A grant is required" },
    });
    expect(await get("/proxy/stopped/", { [NODE_GRANT_HEADER]: "nonsense" })).toEqual({
      status: 401,
      body: { code: "UNAUTHORIZED", message: "Grant refused: invalid" },
    });
    expect(await get("/proxy/stopped/", await grantFor("absent"))).toEqual({
      status: 401,
      body: { code: "UNAUTHORIZED", message: "Grant refused: wrong server" },
    });
    const otherNode = await signTestGrant({ key, nodeId: "node-b", serverId: "stopped" });
    expect(await get("/proxy/stopped/", { [NODE_GRANT_HEADER]: otherNode })).toMatchObject({
      status: 401,
      body: { message: "Grant refused: wrong node" },
    });
    const expired = await signTestGrant({
      key,
      nodeId: NODE,
      serverId: "stopped",
      issuedAtS: Math.floor(Date.now() / 1000) - 3600,
    });
    expect(await get("/proxy/stopped/", { [NODE_GRANT_HEADER]: expired })).toMatchObject({
      status: 401,
      body: { message: "Grant refused: expired" },
    });
  });

  it("never asks where a server is for a request without a valid grant", async () => {
    resolved.length = 0;
    await get("/proxy/stopped/");
    await get("/proxy/stopped/", { [NODE_GRANT_HEADER]: "nonsense" });
    expect(resolved).toEqual([]);
  });

  it("answers 503 while the portal has not handed over the grant key", async () => {
    grantKey = null;
    try {
      expect(await get("/proxy/stopped/", await grantFor("stopped"))).toEqual({
        status: 503,
        body: {
          code: "NODE_OFFLINE",
          message: "This node has not been introduced to a portal yet",
        },
      });
    } finally {
      grantKey = key;
    }
  });

  it("passes on the upstreams' 404 and 409 with their message", async () => {
    expect(await get("/proxy/absent/x", await grantFor("absent"))).toEqual({
      status: 404,
      body: { code: "NOT_FOUND", message: "Server absent is not on this node" },
    });
    expect(await get("/proxy/stopped/x", await grantFor("stopped"))).toEqual({
      status: 409,
      body: { code: "CONFLICT", message: "The server is offline, not running" },
    });
  });

  it("answers 500 without details when finding the upstream fails", async () => {
    expect(await get("/proxy/broken/", await grantFor("broken"))).toEqual({
      status: 500,
      body: { code: "INTERNAL", message: "Something went wrong" },
    });
  });
});
