/**
 * The state of the browser's uploads, as a reducer so the rules are testable without tus or a DOM:
 * every dropped file is one item with its destination, bytes sent and status.
 */

export type UploadStatus = "queued" | "uploading" | "paused" | "done" | "error";

export interface UploadItem {
  id: string;
  /** The file's name as dropped. */
  name: string;
  /** Destination relative to the server's folder. */
  path: string;
  size: number;
  sent: number;
  status: UploadStatus;
  error: string | null;
  /** Bytes that an earlier, interrupted upload had already sent (shown as "resumed"). */
  resumedFrom: number;
}

export type UploadAction =
  | { type: "add"; items: Array<Pick<UploadItem, "id" | "name" | "path" | "size">> }
  | { type: "start"; id: string }
  | { type: "resumed"; id: string; offset: number }
  | { type: "progress"; id: string; sent: number; total?: number }
  | { type: "pause"; id: string }
  | { type: "done"; id: string }
  | { type: "fail"; id: string; error: string }
  | { type: "dismiss"; id: string }
  | { type: "clear-finished" };

export function uploadsReducer(items: readonly UploadItem[], action: UploadAction): UploadItem[] {
  const update = (id: string, change: (item: UploadItem) => UploadItem) =>
    items.map((item) => (item.id === id ? change(item) : item));
  switch (action.type) {
    case "add": {
      const known = new Set(items.map((i) => i.id));
      const fresh = action.items
        .filter((i) => !known.has(i.id))
        .map((i) => ({
          ...i,
          sent: 0,
          status: "queued" as const,
          error: null,
          resumedFrom: 0,
        }));
      return [...items, ...fresh];
    }
    case "start":
      return update(action.id, (i) =>
        i.status === "done" ? i : { ...i, status: "uploading", error: null },
      );
    case "resumed":
      return update(action.id, (i) => ({ ...i, resumedFrom: action.offset, sent: action.offset }));
    case "progress":
      return update(action.id, (i) => {
        if (i.status === "done") return i;
        const size = action.total ?? i.size;
        return { ...i, size, sent: Math.min(Math.max(action.sent, 0), size) };
      });
    case "pause":
      return update(action.id, (i) =>
        i.status === "uploading" || i.status === "queued" ? { ...i, status: "paused" } : i,
      );
    case "done":
      return update(action.id, (i) => ({ ...i, status: "done", sent: i.size, error: null }));
    case "fail":
      return update(action.id, (i) => ({ ...i, status: "error", error: action.error }));
    case "dismiss":
      return items.filter((i) => i.id !== action.id);
    case "clear-finished":
      return items.filter((i) => i.status !== "done");
  }
}

export interface UploadTotals {
  sent: number;
  total: number;
  /** 0–100, whole numbers; 100 only when everything is sent. */
  percent: number;
  active: number;
  done: number;
  failed: number;
}

/** Overall progress across every upload still listed. */
export function uploadTotals(items: readonly UploadItem[]): UploadTotals {
  let sent = 0;
  let total = 0;
  let active = 0;
  let done = 0;
  let failed = 0;
  for (const item of items) {
    sent += item.sent;
    total += item.size;
    if (item.status === "uploading" || item.status === "queued") active++;
    if (item.status === "done") done++;
    if (item.status === "error") failed++;
  }
  return { sent, total, percent: percentOf(sent, total), active, done, failed };
}

/** Whole-number percent that reaches 100 only when complete (an empty file is complete). */
export function percentOf(sent: number, total: number): number {
  if (total <= 0) return sent >= total ? 100 : 0;
  if (sent >= total) return 100;
  return Math.min(99, Math.floor((sent / total) * 100));
}

/**
 * The id of an upload: the same file to the same place is the same upload, so dropping it again
 * (after a reload, say) continues it instead of listing it twice.
 */
export function uploadId(serverId: string, path: string, size: number, lastModified: number) {
  return `${serverId}:${path}:${size}:${lastModified}`;
}

/** Queued uploads start in order, a few at a time. */
export function nextToStart(items: readonly UploadItem[], parallel: number): string[] {
  const running = items.filter((i) => i.status === "uploading").length;
  const room = Math.max(0, parallel - running);
  return items
    .filter((i) => i.status === "queued")
    .slice(0, room)
    .map((i) => i.id);
}
