// Confinement of every file operation to one server's folder. A path comes from a person (the
// portal passes it on as typed): it is checked as text first, then resolved against the real file
// system, symlinks included, so nothing can name or reach a file outside the root.
//
// Text is taken literally: nothing is decoded (`%2e%2e` is a name of six characters) and nothing is
// normalised (U+2215 "∕" and U+FF0F "／" are characters of a name, not separators). Only `/`
// separates folders.
import { lstat, realpath } from "node:fs/promises";
import path from "node:path";
import { FILE_NAME_MAX_BYTES, FILE_PATH_MAX_BYTES, type ErrorCode } from "@berth/protocol";

/** A refused or failed file operation, with a message meant for the person who asked. */
export class FileError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "FileError";
    this.code = code;
  }
}

/** C0 controls, DEL and C1 controls: never part of a name anyone means to type. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
/** A UTF-16 surrogate without its pair: no file system name can hold it. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * The segments of a path relative to the server's folder ("" and "." are the folder itself).
 * Refuses absolute paths, `..`, NUL and other control characters, backslashes, broken text and
 * names or paths longer than Linux takes.
 */
export function pathSegments(userPath: string): string[] {
  if (typeof userPath !== "string") throw new FileError("BAD_REQUEST", "A path must be text");
  if (userPath.includes("\0"))
    throw new FileError("BAD_REQUEST", "A path cannot contain NUL bytes");
  if (CONTROL.test(userPath)) {
    throw new FileError("BAD_REQUEST", "A path cannot contain control characters");
  }
  if (LONE_SURROGATE.test(userPath)) {
    throw new FileError("BAD_REQUEST", "A path must be valid Unicode text");
  }
  if (userPath.includes("\\")) throw new FileError("BAD_REQUEST", "Use / to separate folders");
  if (userPath.startsWith("/")) {
    throw new FileError("BAD_REQUEST", "Paths are relative to the server's folder, not absolute");
  }
  if (Buffer.byteLength(userPath) > FILE_PATH_MAX_BYTES) {
    throw new FileError("BAD_REQUEST", `A path can be at most ${FILE_PATH_MAX_BYTES} bytes long`);
  }
  const segments: string[] = [];
  for (const segment of userPath.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") throw new FileError("BAD_REQUEST", "A path cannot go up with ..");
    if (Buffer.byteLength(segment) > FILE_NAME_MAX_BYTES) {
      throw new FileError("BAD_REQUEST", `A name can be at most ${FILE_NAME_MAX_BYTES} bytes long`);
    }
    segments.push(segment);
  }
  return segments;
}

/** The path as shown back to people: segments joined by `/`, "" for the folder itself. */
export function displayPath(userPath: string): string {
  return pathSegments(userPath).join("/");
}

export interface ResolvedPath {
  /** Absolute path on the node, inside the root (symlinks on the way resolved). */
  absolute: string;
  /** Relative to the root, `/`-separated ("" for the root). */
  relative: string;
}

/** The root's real path, or NOT_FOUND when the server's folder is not there. */
export async function realRoot(root: string): Promise<string> {
  return realpath(root).catch((error: unknown) => {
    throw new FileError("NOT_FOUND", "The server's folder does not exist on this node", {
      cause: error,
    });
  });
}

/**
 * Resolves `userPath` inside `root`. Every existing component is checked with lstat; a symlink is
 * followed only while its target stays inside the root (else refused), so the answer names a
 * place inside the real root whether or not its last components exist yet.
 */
export async function resolveInside(root: string, userPath: string): Promise<ResolvedPath> {
  const segments = pathSegments(userPath);
  const base = await realRoot(root);
  const absolute = await walk(base, segments, segments.length);
  return { absolute, relative: relativeTo(base, absolute) };
}

/**
 * Like `resolveInside`, but the last component is taken as it is, never followed: the path names
 * the entry itself (a symlink, not what it points to). Used to delete, move, describe or archive
 * an entry. The root itself has no last component and is refused.
 */
export async function resolveEntry(root: string, userPath: string): Promise<ResolvedPath> {
  const segments = pathSegments(userPath);
  if (segments.length === 0) {
    throw new FileError("BAD_REQUEST", "Name a file or folder inside the server's folder");
  }
  const base = await realRoot(root);
  const parent = await walk(base, segments, segments.length - 1);
  const absolute = path.join(parent, segments[segments.length - 1]!);
  return { absolute, relative: relativeTo(base, absolute) };
}

/** Follows the first `count` segments from `base`, refusing symlinks that lead out of it. */
async function walk(base: string, segments: string[], count: number): Promise<string> {
  let current = base;
  for (let i = 0; i < count; i++) {
    const next = path.join(current, segments[i]!);
    const info = await lstat(next).catch(() => null);
    if (!info) {
      // Nothing further exists, so nothing further can be a symlink.
      return path.join(next, ...segments.slice(i + 1, count));
    }
    if (info.isSymbolicLink()) {
      const target = await realpath(next).catch(() => null);
      if (!target || !isInside(base, target)) {
        throw new FileError(
          "FORBIDDEN",
          `${segments.slice(0, i + 1).join("/")} leads outside the server's folder`,
        );
      }
      current = target;
    } else {
      current = next;
    }
  }
  if (!isInside(base, current)) {
    throw new FileError("FORBIDDEN", "That path leads outside the server's folder");
  }
  return current;
}

/** `candidate` relative to `base`, `/`-separated. */
export function relativeTo(base: string, candidate: string): string {
  return path.relative(base, candidate).split(path.sep).join("/");
}

/** True when `candidate` is `root` or below it (both absolute and normalised). */
export function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  if (relative === "") return true;
  return relative !== ".." && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative);
}
