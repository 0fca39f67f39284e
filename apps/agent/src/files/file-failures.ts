// Turns what the file system throws into a FileError a person can read. Node's own messages name
// the node's absolute paths, so they never reach the wire: only the path as the person gave it.
import { FileError } from "./server-paths";

/** "the server's folder" for the root, else the path in quotes. */
export function shown(relative: string): string {
  return relative === "" ? "the server's folder" : `"${relative}"`;
}

/** Runs `work`; a file system error becomes a FileError about `relative` (what was being done). */
export async function explained<T>(
  relative: string,
  doing: string,
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw explain(error, relative, doing);
  }
}

export function explain(error: unknown, relative: string, doing: string): FileError {
  if (error instanceof FileError) return error;
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const what = shown(relative);
  switch (code) {
    case "ENOENT":
      return new FileError("NOT_FOUND", `${what} does not exist`, { cause: error });
    case "EEXIST":
      return new FileError("CONFLICT", `${what} already exists`, { cause: error });
    case "ENOTEMPTY":
      return new FileError("CONFLICT", `${what} is a folder that is not empty`, { cause: error });
    case "ENOTDIR":
      return new FileError("BAD_REQUEST", `A part of ${what} is not a folder`, { cause: error });
    case "EISDIR":
      return new FileError("BAD_REQUEST", `${what} is a folder`, { cause: error });
    case "EACCES":
    case "EPERM":
    case "EROFS":
      return new FileError("FORBIDDEN", `The node may not ${doing} ${what}`, { cause: error });
    case "ELOOP":
      return new FileError("FORBIDDEN", `${what} is or goes through a symlink`, { cause: error });
    case "ENOSPC":
    case "EDQUOT":
      return new FileError("INTERNAL", `The node's disk is full (could not ${doing} ${what})`, {
        cause: error,
      });
    case "ENAMETOOLONG":
      return new FileError("BAD_REQUEST", `${what} is too long a path for the node`, {
        cause: error,
      });
    case "EINVAL":
      return new FileError("BAD_REQUEST", `Cannot ${doing} ${what} there`, { cause: error });
    case "EXDEV":
      return new FileError("BAD_REQUEST", `Cannot ${doing} ${what} across disks`, { cause: error });
    default:
      return new FileError("INTERNAL", `Could not ${doing} ${what}`, { cause: error });
  }
}
