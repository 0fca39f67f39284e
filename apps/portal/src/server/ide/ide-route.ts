import type { IncomingMessage } from "node:http";

export const IDE_PATH_PREFIX = "/ide/";
const SERVER_ID = /^[a-z0-9_-]{1,64}$/i;

/** Where a request for an IDE is, in path mode (`/ide/<id>/…`) or host mode (`dev-<id>.<suffix>`). */
export interface IdeRoute {
  serverId: string;
  mode: "path" | "host";
  /** The IDE's root as the browser sees it: `/ide/<id>/` or `/`; cookies are scoped to it. */
  base: string;
  /** The path below the base, without its leading slash. */
  rest: string;
  query: URLSearchParams;
  /** The query as the browser sent it, without `?`, so what is passed on is not re-encoded. */
  rawQuery: string;
}

export type IdeMatch =
  | { kind: "ide"; route: IdeRoute }
  /** `/ide/<id>` without its trailing slash: relative URLs inside the IDE need it. */
  | { kind: "add-slash"; location: string }
  | { kind: "none" };

function hostOf(req: IncomingMessage): string {
  const host = (req.headers.host ?? "").toLowerCase();
  return host.startsWith("[") ? host : host.replace(/:\d+$/, "");
}

export function matchIdeRequest(req: IncomingMessage, hostSuffix: string | null): IdeMatch {
  const raw = req.url ?? "/";
  const q = raw.indexOf("?");
  const path = q === -1 ? raw : raw.slice(0, q);
  const rawQuery = q === -1 ? "" : raw.slice(q + 1);
  const query = new URLSearchParams(rawQuery);

  if (hostSuffix) {
    const host = hostOf(req);
    const tail = `.${hostSuffix}`;
    if (host.startsWith("dev-") && host.endsWith(tail)) {
      const serverId = host.slice("dev-".length, -tail.length);
      if (SERVER_ID.test(serverId)) {
        return {
          kind: "ide",
          route: {
            serverId,
            mode: "host",
            base: "/",
            rest: path.replace(/^\/+/, ""),
            query,
            rawQuery,
          },
        };
      }
    }
  }

  if (!path.startsWith(IDE_PATH_PREFIX)) return { kind: "none" };
  const after = path.slice(IDE_PATH_PREFIX.length);
  const slash = after.indexOf("/");
  const serverId = slash === -1 ? after : after.slice(0, slash);
  if (!SERVER_ID.test(serverId)) return { kind: "none" };
  const base = `${IDE_PATH_PREFIX}${serverId}/`;
  if (slash === -1) {
    return { kind: "add-slash", location: `${base}${q === -1 ? "" : raw.slice(q)}` };
  }
  return {
    kind: "ide",
    route: { serverId, mode: "path", base, rest: after.slice(slash + 1), query, rawQuery },
  };
}

/** The browser's URL for `route` with the query `search` (relative, so it holds in both modes). */
export function ideLocation(route: IdeRoute, search: string): string {
  return `${route.base}${route.rest}${search ? `?${search}` : ""}`;
}

/** `rawQuery` without the parameter `name`, every other pair left as it was written. */
export function withoutParam(rawQuery: string, name: string): string {
  const nameOf = (pair: string) => {
    const key = pair.split("=")[0]!.replace(/\+/g, " ");
    try {
      return decodeURIComponent(key);
    } catch {
      return key;
    }
  };
  return rawQuery
    .split("&")
    .filter((pair) => pair !== "" && nameOf(pair) !== name)
    .join("&");
}

/** `.` or `..` segments (plain or escaped) could step out of the server's prefix on the node. */
export function hasDotSegment(rest: string): boolean {
  return /(^|\/)(\.|%2e){1,2}(\/|$)/i.test(rest);
}
