/**
 * Terminal copy and paste keys. Ctrl+C and Ctrl+V belong to the shell (interrupt, literal next),
 * so a terminal copies with Ctrl+Shift+C and pastes with Ctrl+Shift+V; Cmd+C and Cmd+V on a Mac
 * are the browser's own and need nothing here.
 */

export interface KeyLike {
  type: string;
  key: string;
  ctrlKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
  metaKey: boolean;
}

export type ClipboardKey = "copy" | "paste";

export function clipboardKey(event: KeyLike): ClipboardKey | null {
  if (!event.ctrlKey || !event.shiftKey || event.altKey || event.metaKey) return null;
  const key = event.key.toLowerCase();
  if (key === "c") return "copy";
  if (key === "v") return "paste";
  return null;
}
