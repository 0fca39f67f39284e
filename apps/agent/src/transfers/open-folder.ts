// Opening what a path names inside a server's folder without following symlinks, component by
// component, through `/proc/self/fd/<parent>/<name>` (which names the entry in the folder already
// opened, as openat(2) would). A path is checked first (resolveInside) and used later; a server
// that swaps a folder for a symlink in between cannot lead a root agent outside its folder.
import { constants } from "node:fs";
import { mkdir, open, type FileHandle } from "node:fs/promises";
import { FileError } from "../files/server-paths";

/** The path of `name` inside an opened folder. */
export const inFolder = (folder: FileHandle, name: string) => `/proc/self/fd/${folder.fd}/${name}`;

/**
 * Opens `segments` below `realRoot` one at a time, each without following a symlink; with
 * `make`, missing ones are made and given to `owner`. A component that is no folder refuses.
 */
export async function openFolder(
  realRoot: string,
  segments: string[],
  owner: { uid: number; gid: number } | null,
  { make = true }: { make?: boolean } = {},
): Promise<FileHandle> {
  const { O_RDONLY, O_DIRECTORY, O_NOFOLLOW } = constants;
  let folder = await open(realRoot, O_RDONLY | O_DIRECTORY);
  try {
    for (let i = 0; i < segments.length; i++) {
      const next = `/proc/self/fd/${folder.fd}/${segments[i]}`;
      const made = !make
        ? false
        : await mkdir(next).then(
            () => true,
            (error: NodeJS.ErrnoException) => {
              if (error.code === "EEXIST") return false;
              throw error;
            },
          );
      const opened = await open(next, O_RDONLY | O_DIRECTORY | O_NOFOLLOW).catch(
        (error: NodeJS.ErrnoException) => {
          if (error.code === "ELOOP" || error.code === "ENOTDIR") {
            throw new FileError(
              "CONFLICT",
              `${segments.slice(0, i + 1).join("/")} is not a folder (it changed during the upload)`,
            );
          }
          throw error;
        },
      );
      if (made && owner) await opened.chown(owner.uid, owner.gid);
      await folder.close();
      folder = opened;
    }
    return folder;
  } catch (error) {
    await folder.close().catch(() => undefined);
    throw error;
  }
}

/** Opens `name` in an opened folder for reading, refusing a symlink. */
export async function openNoFollow(folder: FileHandle, name: string, shown: string) {
  return open(inFolder(folder, name), constants.O_RDONLY | constants.O_NOFOLLOW).catch(
    (error: NodeJS.ErrnoException) => {
      if (error.code === "ELOOP") {
        throw new FileError("CONFLICT", `${shown} changed while it was being read`);
      }
      if (error.code === "ENOENT") throw new FileError("NOT_FOUND", `${shown} does not exist`);
      throw error;
    },
  );
}
