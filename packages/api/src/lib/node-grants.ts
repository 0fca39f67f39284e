import { hkdfSync } from "node:crypto";
import { NODE_GRANT_TTL_S, NODE_GRANT_TYPE, type GrantScope } from "@berth/protocol";
import { SignJWT } from "jose";

/**
 * Grants let the portal reach a node's HTTP listener on a user's behalf. Each node has its own key,
 * derived from BERTH_SECRET (so every portal of a platform derives the same one and none is
 * stored) and handed to the agent over its authenticated link when it says hello.
 */
export interface NodeGrants {
  /** The node's key, base64url, for the hello's answer. */
  keyFor(nodeId: string): string;
  /** A short-lived grant for `userId` to reach `serverId`'s code-server (or files) on `nodeId`. */
  sign(grant: {
    nodeId: string;
    userId: string;
    serverId: string;
    scope: GrantScope;
  }): Promise<string>;
}

export function createNodeGrants(masterSecret: string, now: () => number = Date.now): NodeGrants {
  const keyOf = (nodeId: string) =>
    new Uint8Array(
      hkdfSync("sha256", masterSecret, "berth-node-grant", `berth:node:${nodeId}:v1`, 32),
    );
  return {
    keyFor: (nodeId) => Buffer.from(keyOf(nodeId)).toString("base64url"),
    async sign({ nodeId, userId, serverId, scope }) {
      const issuedAt = Math.floor(now() / 1000);
      return new SignJWT({ typ: NODE_GRANT_TYPE, scope, serverId })
        .setProtectedHeader({ alg: "HS256" })
        .setAudience(nodeId)
        .setSubject(userId)
        .setIssuedAt(issuedAt)
        .setExpirationTime(issuedAt + NODE_GRANT_TTL_S)
        .sign(keyOf(nodeId));
    },
  };
}
