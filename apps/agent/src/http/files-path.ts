import { AGENT_FILES_PATH } from "@berth/protocol";

const SERVER_ID = /^[A-Za-z0-9_-]{1,64}$/;
const UPLOAD_ID = /^[A-Za-z0-9_-]{1,128}$/;

export type FilesRoute =
  | { serverId: string; kind: "download"; path: string }
  | { serverId: string; kind: "uploads"; uploadId: string | null };

/**
 * `/files/<serverId>/download?path=<rel>` and `/files/<serverId>/uploads/[<uploadId>]` → what
 * is asked for; null for any other path.
 */
export function parseFilesPath(url: string): FilesRoute | null {
  if (!url.startsWith(AGENT_FILES_PATH)) return null;
  const parsed = new URL(url, "http://agent.invalid");
  // The URL parser resolves dot segments; what is left must still be below the prefix.
  if (!parsed.pathname.startsWith(AGENT_FILES_PATH)) return null;
  const parts = parsed.pathname.slice(AGENT_FILES_PATH.length).split("/");
  const [serverId, kind, uploadId, ...rest] = parts;
  if (!serverId || !SERVER_ID.test(serverId) || rest.length > 0) return null;
  if (kind === "download" && uploadId === undefined) {
    return { serverId, kind, path: parsed.searchParams.get("path") ?? "" };
  }
  if (kind === "uploads") {
    if (uploadId === undefined || uploadId === "") return { serverId, kind, uploadId: null };
    if (UPLOAD_ID.test(uploadId)) return { serverId, kind, uploadId };
  }
  return null;
}
