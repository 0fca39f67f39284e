// files: copy — a file, or a folder with everything in it, under a new name. Nothing is followed:
// a symlink is copied as a link, and only when it still points inside the root from its new place.
// The copy is made under a temporary name beside the destination and renamed at the end, so a
// failed copy leaves nothing behind.
import { constants } from "node:fs";
import {
  chmod,
  copyFile,
  lstat,
  mkdir,
  readdir,
  readlink,
  realpath,
  rename,
  rm,
  symlink,
} from "node:fs/promises";
import path from "node:path";
import type { FileEntry } from "@berth/protocol";
import { entryPair } from "./entry-pair";
import { describeEntry } from "./file-entry";
import { explain, shown } from "./file-failures";
import { giveTo } from "./file-owner";
import type { FileRoot, FileOwner } from "./file-root";
import { FileError, isInside, realRoot, relativeTo } from "./server-paths";
import { isTempName, tempBeside } from "./temp-names";

export async function copyEntry(where: FileRoot, from: string, to: string): Promise<FileEntry> {
  const pair = await entryPair(where.root, from, to);
  const base = await realRoot(where.root);
  const temp = tempBeside(pair.to.absolute);
  try {
    await copyTree({
      base,
      source: pair.from.absolute,
      temp,
      final: pair.to.absolute,
      owner: where.owner,
    });
    await rename(temp, pair.to.absolute);
  } catch (error) {
    await rm(temp, { recursive: true, force: true }).catch(() => undefined);
    throw explain(error, pair.from.relative, "copy");
  }
  return describeEntry(pair.to.absolute, path.basename(pair.to.absolute));
}

interface CopyJob {
  base: string;
  source: string;
  /** Where the copy is made now. */
  temp: string;
  /** Where it will be once renamed: symlinks are judged from there. */
  final: string;
  owner: FileOwner | null;
}

async function copyTree(job: CopyJob): Promise<void> {
  const stack: Array<{ source: string; temp: string; final: string }> = [job];
  // Folder permissions are set last, so a read-only folder can still be filled first.
  const folderModes: Array<[string, number]> = [];
  while (stack.length > 0) {
    const { source, temp, final } = stack.pop()!;
    const info = await lstat(source);
    const shownSource = shown(relativeTo(job.base, source));
    if (info.isDirectory()) {
      await mkdir(temp, { mode: 0o700 });
      await giveTo(job.owner, temp);
      for (const name of await readdir(source)) {
        if (isTempName(name)) continue;
        stack.push({
          source: path.join(source, name),
          temp: path.join(temp, name),
          final: path.join(final, name),
        });
      }
      folderModes.push([temp, info.mode & 0o7777]);
    } else if (info.isFile()) {
      await copyFile(source, temp, constants.COPYFILE_EXCL);
      await chmod(temp, info.mode & 0o777);
      await giveTo(job.owner, temp);
    } else if (info.isSymbolicLink()) {
      const target = await readlink(source);
      if (!(await pointsInside(job.base, final, target))) {
        throw new FileError(
          "FORBIDDEN",
          `${shownSource} is a symlink that would lead outside the server's folder; it cannot be copied`,
        );
      }
      await symlink(target, temp);
      await giveTo(job.owner, temp);
    } else {
      throw new FileError("BAD_REQUEST", `${shownSource} is a special file and cannot be copied`);
    }
  }
  for (const [folder, mode] of folderModes.reverse()) await chmod(folder, mode);
}

/** Whether a link at `at` with `target` names a place inside `base` (textually and for real). */
async function pointsInside(base: string, at: string, target: string): Promise<boolean> {
  if (path.isAbsolute(target)) return false;
  const named = path.resolve(path.dirname(at), target);
  if (!isInside(base, named)) return false;
  const real = await realpath(named).catch(() => null);
  return real === null || isInside(base, real);
}
