import type { IncomingHttpHeaders } from "node:http";
import type { IdeRoute } from "./ide-route";

export const IDE_COOKIE = "berth_ide_session";

function cookiePairs(header: string | undefined): string[] {
  return (header ?? "")
    .split(";")
    .map((p) => p.trim())
    .filter(Boolean);
}

const nameOf = (pair: string) => pair.slice(0, Math.max(pair.indexOf("="), 0)).trim();

/** Every Berth IDE session the request carries: cookies first, then `Authorization: Bearer`. */
export function presentedSessions(headers: IncomingHttpHeaders): string[] {
  const found = cookiePairs(headers.cookie)
    .filter((p) => nameOf(p) === IDE_COOKIE)
    .map((p) => p.slice(p.indexOf("=") + 1).trim())
    .filter(Boolean);
  const bearer = bearerOf(headers);
  if (bearer) found.push(bearer);
  return found;
}

export function bearerOf(headers: IncomingHttpHeaders): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? "");
  return match ? match[1]! : null;
}

/** Removes only Berth's IDE cookie; code-server's own cookies pass. */
export function withoutIdeCookie(header: string | undefined): string | undefined {
  const kept = cookiePairs(header).filter((p) => nameOf(p) !== IDE_COOKIE);
  return kept.length > 0 ? kept.join("; ") : undefined;
}

export function ideSetCookie(
  route: IdeRoute,
  session: string,
  { maxAgeS, secure }: { maxAgeS: number; secure: boolean },
): string {
  // No Domain attribute: in host mode the cookie stays with dev-<id>.<suffix> alone.
  const parts = [
    `${IDE_COOKIE}=${session}`,
    `Path=${route.base}`,
    `Max-Age=${maxAgeS}`,
    "HttpOnly",
    "SameSite=Lax",
  ];
  if (secure) parts.push("Secure");
  return parts.join("; ");
}
