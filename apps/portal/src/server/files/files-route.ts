import { AGENT_FILES_PATH, PORTAL_FILES_PATH } from "@berth/protocol";

const SERVER_ID = /^[A-Za-z0-9_-]{1,64}$/;
const UPLOAD_ID = /^[A-Za-z0-9_-]{1,128}$/;

export interface FilesRoute {
  serverId: string;
  kind: "download" | "uploads";
  /** The same request on the agent's listener: `/files/<serverId>/…` with the query. */
  agentPath: string;
}

/**
 * `/api/files/<serverId>/download?path=…` and `/api/files/<serverId>/uploads/[<id>]`; null for
 * any other URL under the prefix (and for anything with dot segments or encoded slashes).
 */
export function parseFilesRoute(url: string): FilesRoute | null {
  const [pathname = "", ...queryParts] = url.split("?");
  const query = queryParts.join("?");
  if (!pathname.startsWith(PORTAL_FILES_PATH)) return null;
  const [serverId, kind, uploadId, ...rest] = pathname.slice(PORTAL_FILES_PATH.length).split("/");
  if (!serverId || !SERVER_ID.test(serverId) || rest.length > 0) return null;
  const agentBase = `${AGENT_FILES_PATH}${serverId}`;
  if (kind === "download" && uploadId === undefined) {
    return {
      serverId,
      kind,
      agentPath: `${agentBase}/download${query ? `?${query}` : ""}`,
    };
  }
  if (kind === "uploads") {
    if (uploadId === undefined || uploadId === "") {
      return { serverId, kind, agentPath: `${agentBase}/uploads/` };
    }
    if (UPLOAD_ID.test(uploadId)) {
      return { serverId, kind, agentPath: `${agentBase}/uploads/${uploadId}` };
    }
  }
  return null;
}

/**
 * The agent's `Location` for a new upload as the browser must see it: `/files/<id>/uploads/<u>`
 * (or an absolute URL on the agent) becomes `/api/files/<id>/uploads/<u>`; anything else is
 * dropped (null), so no address of the node reaches the browser.
 */
export function portalLocation(location: string, serverId: string): string | null {
  let pathname = location;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(location)) {
    try {
      pathname = new URL(location).pathname;
    } catch {
      return null;
    }
  }
  const prefix = `${AGENT_FILES_PATH}${serverId}/uploads/`;
  if (!pathname.startsWith(prefix)) return null;
  const uploadId = pathname.slice(prefix.length);
  if (!UPLOAD_ID.test(uploadId)) return null;
  return `${PORTAL_FILES_PATH}${serverId}/uploads/${uploadId}`;
}
