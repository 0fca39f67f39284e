// Confinement of every file operation to one server's folder. A path comes from a person (the
// portal passes it on as typed): it is checked as text first, then resolved against the real file
// system, symlinks included, so nothing can name or reach a file outside the root.
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

/**
 * The segments of a path relative to the server's folder ("" and "." are the folder itself).
 * Refuses absolute paths, `..`, NUL and other control characters, backslashes and names or paths
 * longer than Linux takes.
 */
export function pathSegments(userPath: string): string[] {
  if (userPath.includes("\0"))
    throw new FileError("BAD_REQUEST", "A path cannot contain NUL bytes");
  // eslint-disable-next-line no-control-regex
  if (/[\u0001-\u001f\u007f]/.test(userPath)) {
    throw new FileError("BAD_REQUEST", "A path cannot contain control characters");
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

/**
 * Resolves `userPath` inside `root`. Every existing component is checked with lstat; a symlink is
 * followed only while its target stays inside the root (else refused), so the answer names a
 * place inside the real root whether or not its last components exist yet.
 */
export async function resolveInside(root: string, userPath: string): Promise<ResolvedPath> {
  const segments = pathSegments(userPath);
  const realRoot = await realpath(root).catch((error: unknown) => {
    throw new FileError("NOT_FOUND", "The server's folder does not exist on this node", {
      cause: error,
    });
  });
  let current = realRoot;
  for (let i = 0; i < segments.length; i++) {
    const next = path.join(current, segments[i]!);
    const info = await lstat(next).catch(() => null);
    if (!info) {
      // Nothing further exists, so nothing further can be a symlink.
      current = path.join(next, ...segments.slice(i + 1));
      break;
    }
    if (info.isSymbolicLink()) {
      const target = await realpath(next).catch(() => null);
      if (!target || !isInside(realRoot, target)) {
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
  return {
    absolute: current,
    relative: path.relative(realRoot, current).split(path.sep).join("/"),
  };
}

/** True when `candidate` is `root` or below it (both absolute and normalised). */
export function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  if (relative === "") return true;
  return relative !== ".." && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative);
}
