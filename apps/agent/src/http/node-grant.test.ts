import { randomBytes } from "node:crypto";
import { NODE_GRANT_TYPE } from "@berth/protocol";
import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { verifyNodeGrant } from "./node-grant";

const secret = randomBytes(32);
const key = secret.toString("base64url");
const NOW = Date.parse("2026-05-01T12:00:00Z");
const now = () => NOW;
const expected = { key, nodeId: "node-a", serverId: "srv-1", scope: "ide" as const, now };

function grant({
  nodeId = "node-a",
  serverId = "srv-1",
  issuedAt = NOW / 1000,
  ttlS = 60,
  signWith = secret,
  alg = "HS256",
  claims = {},
}: {
  nodeId?: string;
  serverId?: string;
  issuedAt?: number;
  ttlS?: number;
  signWith?: Buffer;
  alg?: string;
  claims?: Record<string, unknown>;
} = {}) {
  return new SignJWT({ typ: NODE_GRANT_TYPE, scope: "ide", serverId, ...claims })
    .setProtectedHeader({ alg })
    .setAudience(nodeId)
    .setSubject("user-1")
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + ttlS)
    .sign(new Uint8Array(signWith));
}

describe("verifyNodeGrant", () => {
  it("accepts a grant for this node and server, and returns its claims", async () => {
    expect(await verifyNodeGrant(await grant(), expected)).toEqual({
      ok: true,
      claims: {
        typ: NODE_GRANT_TYPE,
        scope: "ide",
        aud: "node-a",
        sub: "user-1",
        serverId: "srv-1",
        iat: NOW / 1000,
        exp: NOW / 1000 + 60,
      },
    });
  });

  it("refuses an expired grant", async () => {
    const token = await grant({ issuedAt: NOW / 1000 - 61 });
    expect(await verifyNodeGrant(token, expected)).toEqual({ ok: false, reason: "expired" });
  });

  it("refuses a grant for another node", async () => {
    const token = await grant({ nodeId: "node-b" });
    expect(await verifyNodeGrant(token, expected)).toEqual({ ok: false, reason: "wrong node" });
  });

  it("refuses a grant naming the node among other audiences (the contract names one)", async () => {
    const token = await new SignJWT({ typ: NODE_GRANT_TYPE, serverId: "srv-1" })
      .setProtectedHeader({ alg: "HS256" })
      .setAudience(["node-a", "node-b"])
      .setSubject("user-1")
      .setIssuedAt(NOW / 1000)
      .setExpirationTime(NOW / 1000 + 60)
      .sign(new Uint8Array(secret));
    expect(await verifyNodeGrant(token, expected)).toEqual({ ok: false, reason: "invalid" });
  });

  it("refuses a grant for another server", async () => {
    const token = await grant({ serverId: "srv-2" });
    expect(await verifyNodeGrant(token, expected)).toEqual({ ok: false, reason: "wrong server" });
  });

  it("refuses a grant signed with another key, another algorithm or not a JWT", async () => {
    const invalid = { ok: false, reason: "invalid" };
    expect(await verifyNodeGrant(await grant({ signWith: randomBytes(32) }), expected)).toEqual(
      invalid,
    );
    expect(await verifyNodeGrant(await grant({ alg: "HS512" }), expected)).toEqual(invalid);
    expect(await verifyNodeGrant("not.a.jwt", expected)).toEqual(invalid);
    expect(await verifyNodeGrant("", expected)).toEqual(invalid);
  });

  it("refuses an unsigned grant", async () => {
    const [, body] = (await grant()).split(".");
    const header = Buffer.from(JSON.stringify({ alg: "none" })).toString("base64url");
    expect(await verifyNodeGrant(`${header}.${body}.`, expected)).toEqual({
      ok: false,
      reason: "invalid",
    });
  });

  it("refuses a grant of another scope: a files grant never opens code-server", async () => {
    const token = await grant({ claims: { scope: "files" } });
    expect(await verifyNodeGrant(token, expected)).toEqual({ ok: false, reason: "wrong scope" });
    expect(await verifyNodeGrant(token, { ...expected, scope: "files" })).toMatchObject({
      ok: true,
    });
  });

  it("refuses claims that are not a node grant's", async () => {
    const token = await grant({ claims: { typ: "dev-ide" } });
    expect(await verifyNodeGrant(token, expected)).toEqual({ ok: false, reason: "invalid" });
  });

  it("refuses everything when its own key is not 32 bytes", async () => {
    const token = await grant();
    expect(await verifyNodeGrant(token, { ...expected, key: "c2hvcnQ" })).toEqual({
      ok: false,
      reason: "invalid",
    });
  });
});
