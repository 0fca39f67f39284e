import { z } from "zod";

// The IDE path from a browser to code-server: portal gate → agent HTTP listener → container.

/** The `type` claim of an IDE token (the link a user opens). */
export const IDE_TOKEN_TYPE = "dev-ide";
/** The folder code-server opens when the URL names none. */
export const IDE_WORKSPACE_FOLDER = "/home/dev/workspace";

/** The agent's HTTP listener forwards `<AGENT_PROXY_PATH><serverId>/<path>` to that server's code-server. */
export const AGENT_PROXY_PATH = "/proxy/";
/** Carries the portal's grant to the agent's listener; never forwarded to code-server. */
export const NODE_GRANT_HEADER = "x-berth-grant";
/** A grant is signed per request (or per WebSocket) and lives this long. */
export const NODE_GRANT_TTL_S = 60;
export const NODE_GRANT_TYPE = "node-grant";

/**
 * What a grant opens at the node's listener: `ide` the server's code-server (`/proxy/…`), `files`
 * the server's file streams (`/files/…`). A grant for one never opens the other.
 */
export const GrantScope = z.enum(["ide", "files"]);
export type GrantScope = z.infer<typeof GrantScope>;

/**
 * What a grant says (JWT, HS256, signed with the node's grant key): this user may reach this
 * server's code-server (or files) on this node, until `exp`.
 */
export const NodeGrantClaims = z.object({
  typ: z.literal(NODE_GRANT_TYPE),
  scope: GrantScope,
  /** The node the grant is for. */
  aud: z.string().min(1).max(64),
  /** The user on whose behalf the portal asks. */
  sub: z.string().min(1).max(64),
  serverId: z.string().min(1).max(64),
  iat: z.number().int(),
  exp: z.number().int(),
});
export type NodeGrantClaims = z.infer<typeof NodeGrantClaims>;

/** The grant key as the portal hands it to an agent in the hello's answer: 32 bytes, base64url. */
export const NodeGrantKey = z.string().regex(/^[A-Za-z0-9_-]{43}$/, "a 32-byte base64url key");
