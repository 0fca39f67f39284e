// Test support: a node's grant key and grants signed the way the portal signs them.
import { randomBytes } from "node:crypto";
import { NODE_GRANT_TTL_S, NODE_GRANT_TYPE, type GrantScope } from "@berth/protocol";
import { SignJWT } from "jose";

export function testGrantKey(): string {
  return randomBytes(32).toString("base64url");
}

export function signTestGrant({
  key,
  nodeId,
  serverId,
  userId = "user-1",
  scope = "ide",
  issuedAtS = Math.floor(Date.now() / 1000),
}: {
  key: string;
  nodeId: string;
  serverId: string;
  userId?: string;
  scope?: GrantScope;
  issuedAtS?: number;
}): Promise<string> {
  return new SignJWT({ typ: NODE_GRANT_TYPE, scope, serverId })
    .setProtectedHeader({ alg: "HS256" })
    .setAudience(nodeId)
    .setSubject(userId)
    .setIssuedAt(issuedAtS)
    .setExpirationTime(issuedAtS + NODE_GRANT_TTL_S)
    .sign(new Uint8Array(Buffer.from(key, "base64url")));
}
