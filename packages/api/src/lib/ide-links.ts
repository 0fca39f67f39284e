import { hkdfSync } from "node:crypto";
import { IDE_TOKEN_TYPE } from "@berth/protocol";
import { errors, jwtVerify, SignJWT } from "jose";

/** How long a cookie session opened by an IDE link lasts. */
export const IDE_SESSION_TTL_S = 12 * 60 * 60;
const IDE_SESSION_TYPE = "dev-ide-session";

export interface IdeLinkOptions {
  masterSecret: string;
  /** The portal's public URL, without a trailing slash. */
  publicUrl: string;
  /** How long an IDE link may wait before it is opened. */
  tokenTtlS: number;
  /** With a suffix, links are `https://dev-<serverId>.<suffix>/`; without, `<publicUrl>/ide/<serverId>/`. */
  hostSuffix: string | null;
  now?: () => number;
}

export interface IdeTokenClaims {
  userId: string;
  serverId: string;
  jti: string;
}

export interface IdeSessionClaims {
  userId: string;
  serverId: string;
  /** The IdeToken row the session was opened with; revoking or deleting it ends the session. */
  sid: string;
}

/** Why a link was refused, before the database is asked. */
export type IdeTokenProblem = "expired" | "invalid" | "wrong-type";

export type Verified<T, P> = { ok: true; claims: T } | { ok: false; problem: P };

/**
 * IDE links (one-time tokens in a URL) and the cookie sessions they open: JWTs (HS256) under two keys
 * derived from BERTH_SECRET by HKDF, so every portal of a platform accepts what another issued.
 */
export interface IdeLinks {
  tokenTtlS: number;
  hostSuffix: string | null;
  /** A link token that expires `tokenTtlS` from now. */
  signToken(claims: IdeTokenClaims): Promise<{ token: string; expiresAt: Date }>;
  verifyToken(token: string): Promise<Verified<IdeTokenClaims, IdeTokenProblem>>;
  signSession(claims: IdeSessionClaims): Promise<{ session: string; expiresAt: Date }>;
  verifySession(session: string): Promise<IdeSessionClaims | null>;
  /** The URL a browser opens, carrying `token`. */
  urlFor(serverId: string, token: string): string;
}

function keyOf(masterSecret: string, purpose: string): Uint8Array {
  return new Uint8Array(hkdfSync("sha256", masterSecret, "berth-ide", `berth:${purpose}:v1`, 32));
}

/** The keys links and sessions are signed with (HS256), for parties that must check them. */
export function ideKeys(masterSecret: string): { token: Uint8Array; session: Uint8Array } {
  return { token: keyOf(masterSecret, "ide-token"), session: keyOf(masterSecret, "ide-session") };
}

const isString = (v: unknown): v is string => typeof v === "string" && v.length > 0;

export function createIdeLinks({
  masterSecret,
  publicUrl,
  tokenTtlS,
  hostSuffix,
  now = Date.now,
}: IdeLinkOptions): IdeLinks {
  const { token: tokenKey, session: sessionKey } = ideKeys(masterSecret);
  const seconds = () => Math.floor(now() / 1000);
  const verifyOptions = () => ({ algorithms: ["HS256"], currentDate: new Date(now()) });

  return {
    tokenTtlS,
    hostSuffix,
    async signToken({ userId, serverId, jti }) {
      const issuedAt = seconds();
      const exp = issuedAt + tokenTtlS;
      const token = await new SignJWT({ serverId, type: IDE_TOKEN_TYPE })
        .setProtectedHeader({ alg: "HS256" })
        .setSubject(userId)
        .setJti(jti)
        .setIssuedAt(issuedAt)
        .setExpirationTime(exp)
        .sign(tokenKey);
      return { token, expiresAt: new Date(exp * 1000) };
    },
    async verifyToken(token) {
      try {
        const { payload } = await jwtVerify(token, tokenKey, verifyOptions());
        if (payload.type !== IDE_TOKEN_TYPE) return { ok: false, problem: "wrong-type" };
        const { sub, jti, serverId } = payload;
        if (!isString(sub) || !isString(jti) || !isString(serverId) || !payload.exp) {
          return { ok: false, problem: "invalid" };
        }
        return { ok: true, claims: { userId: sub, jti, serverId } };
      } catch (err) {
        if (err instanceof errors.JWTExpired) return { ok: false, problem: "expired" };
        return { ok: false, problem: "invalid" };
      }
    },
    async signSession({ userId, serverId, sid }) {
      const exp = seconds() + IDE_SESSION_TTL_S;
      const session = await new SignJWT({ serverId, sid, type: IDE_SESSION_TYPE })
        .setProtectedHeader({ alg: "HS256" })
        .setSubject(userId)
        .setIssuedAt(seconds())
        .setExpirationTime(exp)
        .sign(sessionKey);
      return { session, expiresAt: new Date(exp * 1000) };
    },
    async verifySession(session) {
      try {
        const { payload } = await jwtVerify(session, sessionKey, verifyOptions());
        const { sub, sid, serverId } = payload;
        if (payload.type !== IDE_SESSION_TYPE || !isString(sub) || !isString(sid)) return null;
        if (!isString(serverId)) return null;
        return { userId: sub, serverId, sid };
      } catch {
        return null;
      }
    },
    urlFor(serverId, token) {
      const base = hostSuffix
        ? `https://dev-${serverId}.${hostSuffix}/`
        : `${publicUrl}/ide/${serverId}/`;
      return `${base}?token=${encodeURIComponent(token)}`;
    },
  };
}
