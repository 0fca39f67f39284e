/**
 * The server page keeps its tab and the file browser's place in the query string
 * (`?tab=files&path=world&file=world/level.txt`), so a reload or a shared link opens the same view.
 */

/** `search` with `changes` applied: a null or empty value removes the parameter. */
export function withParams(search: string, changes: Record<string, string | null>): string {
  const params = new URLSearchParams(search);
  for (const [key, value] of Object.entries(changes)) {
    if (value === null || value === "") params.delete(key);
    else params.set(key, value);
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}

export type ServerTab = "overview" | "files" | "mods";

/** The tab a `tab` parameter names; mods only exist on game servers. */
export function tabOf(value: string | null, kind: "game" | "dev"): ServerTab {
  if (value === "files") return "files";
  if (value === "mods" && kind === "game") return "mods";
  return "overview";
}
