// The portal's grant for one request (or one WebSocket) to a server's code-server on this node:
// a short-lived JWT, HS256 with the node's grant key, whose claims the protocol package defines.
import { NodeGrantClaims, type GrantScope } from "@berth/protocol";
import { errors, jwtVerify } from "jose";

export type GrantRefusal = "expired" | "invalid" | "wrong node" | "wrong server" | "wrong scope";

export type GrantCheck =
  { ok: true; claims: NodeGrantClaims } | { ok: false; reason: GrantRefusal };

export async function verifyNodeGrant(
  token: string,
  {
    key,
    nodeId,
    serverId,
    scope,
    now = Date.now,
  }: {
    /** The node's grant key as the portal hands it over: 32 bytes, base64url. */
    key: string;
    nodeId: string;
    /** The server the request is for (from its path). */
    serverId: string;
    /** What the request is for (from its path). */
    scope: GrantScope;
    now?: () => number;
  },
): Promise<GrantCheck> {
  const secret = Buffer.from(key, "base64url");
  if (secret.length !== 32) return { ok: false, reason: "invalid" };
  let payload: unknown;
  try {
    ({ payload } = await jwtVerify(token, new Uint8Array(secret), {
      algorithms: ["HS256"],
      audience: nodeId,
      currentDate: new Date(now()),
      requiredClaims: ["exp", "iat"],
    }));
  } catch (error) {
    if (error instanceof errors.JWTExpired) return { ok: false, reason: "expired" };
    if (error instanceof errors.JWTClaimValidationFailed && error.claim === "aud") {
      return { ok: false, reason: "wrong node" };
    }
    return { ok: false, reason: "invalid" };
  }
  const claims = NodeGrantClaims.safeParse(payload);
  if (!claims.success) return { ok: false, reason: "invalid" };
  if (claims.data.serverId !== serverId) return { ok: false, reason: "wrong server" };
  if (claims.data.scope !== scope) return { ok: false, reason: "wrong scope" };
  return { ok: true, claims: claims.data };
}
