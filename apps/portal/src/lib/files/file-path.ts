/**
 * Paths inside a server's folder as the file browser handles them: POSIX, relative, no leading or
 * trailing slash, "" for the folder itself. The agent confines and resolves them; these helpers
 * only keep the browser's own joins tidy.
 */

/** Joins path parts, dropping empty parts and stray slashes: `joinPath("", "world/", "a")` → "world/a". */
export function joinPath(...parts: readonly string[]): string {
  return parts
    .flatMap((part) => part.split("/"))
    .filter((segment) => segment !== "" && segment !== ".")
    .join("/");
}

/** The folder holding a path ("" for a top-level entry or the root itself). */
export function parentPath(path: string): string {
  const segments = joinPath(path).split("/");
  segments.pop();
  return segments.join("/");
}

/** The last segment of a path ("" for the root). */
export function baseName(path: string): string {
  const segments = joinPath(path).split("/");
  return segments[segments.length - 1] ?? "";
}

export interface Crumb {
  /** What the crumb shows. */
  label: string;
  /** The folder it opens. */
  path: string;
}

/** The crumbs from the server's folder down to `path`: `"world/region"` → root, world, world/region. */
export function breadcrumbs(path: string, rootLabel = "Server folder"): Crumb[] {
  const crumbs: Crumb[] = [{ label: rootLabel, path: "" }];
  let current = "";
  for (const segment of joinPath(path).split("/")) {
    if (!segment) continue;
    current = current ? `${current}/${segment}` : segment;
    crumbs.push({ label: segment, path: current });
  }
  return crumbs;
}

/**
 * Why a single name (a rename, a new folder) cannot be used, or null when it can. The agent checks
 * again; this only saves a round trip for the obvious cases.
 */
export function nameProblem(name: string): string | null {
  if (name.trim() === "") return "A name is required.";
  if (name === "." || name === "..") return "That name is reserved.";
  if (name.includes("/")) return "A name cannot contain /.";
  if (name.includes("\0")) return "A name cannot contain a null character.";
  if (new TextEncoder().encode(name).length > 255) return "That name is too long.";
  return null;
}

/**
 * Where a move lands: `dest` is a folder typed by a person ("/plugins/", "world"), made relative;
 * null when it would move an entry into itself or one of its own folders.
 */
export function moveTarget(from: string, destFolder: string): string | null {
  const dest = joinPath(destFolder);
  const source = joinPath(from);
  if (dest === source || dest.startsWith(`${source}/`)) return null;
  return joinPath(dest, baseName(source));
}
