import { PORTAL_FILES_PATH } from "@berth/protocol";

/** The portal's download route: a file streams as it is, a folder as a .tar.gz archive. */
export function downloadUrl(serverId: string, path: string): string {
  return `${PORTAL_FILES_PATH}${encodeURIComponent(serverId)}/download?path=${encodeURIComponent(path)}`;
}

/** The tus endpoint uploads are created at. */
export function uploadEndpoint(serverId: string): string {
  return `${PORTAL_FILES_PATH}${encodeURIComponent(serverId)}/uploads/`;
}

/**
 * The short text of a refused upload: the server's own message (plain text or `{ message }`),
 * else one line for the status. Never a stack or a page of HTML.
 */
export function uploadErrorMessage(status: number | null, body: string | null): string {
  const text = (body ?? "").trim();
  if (text) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed && typeof parsed === "object" && "message" in parsed) {
        const message = (parsed as { message: unknown }).message;
        if (typeof message === "string" && message.trim()) return clip(message.trim());
      }
      if (parsed && typeof parsed === "object" && "error" in parsed) {
        const error = (parsed as { error: unknown }).error;
        if (error && typeof error === "object" && "message" in error) {
          const message = (error as { message: unknown }).message;
          if (typeof message === "string" && message.trim()) return clip(message.trim());
        }
      }
    } catch {
      if (!text.startsWith("<")) return clip(text);
    }
  }
  if (status === 413) return "Not enough room: the upload is over the server's disk quota.";
  if (status === 401) return "Your session ended. Sign in again to upload.";
  if (status === 403 || status === 404) return "You cannot upload to this server.";
  if (status === null || status === 0) return "The connection dropped. Resume to continue.";
  return `The upload failed (HTTP ${status}).`;
}

function clip(text: string): string {
  return text.length > 300 ? `${text.slice(0, 297)}…` : text;
}

/** Errors a retry cannot fix: stop retrying and tell the person. */
export function isFinalUploadStatus(status: number): boolean {
  return status >= 400 && status < 500 && status !== 409 && status !== 423 && status !== 429;
}
