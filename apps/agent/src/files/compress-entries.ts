// files: compress — chosen entries into a .tar.gz or .zip. The archive is written under a temporary
// name beside its destination and renamed at the end; symlinks are stored as links, not followed.
import { lstat, rename, rm } from "node:fs/promises";
import path from "node:path";
import { create as createTar } from "tar";
import type { ArchiveFormat, FileEntry } from "@berth/protocol";
import { archiveSelection } from "./archive-selection";
import { describeEntry } from "./file-entry";
import { explain, shown } from "./file-failures";
import { giveTo } from "./file-owner";
import type { FileRoot } from "./file-root";
import { FileError, resolveEntry } from "./server-paths";
import { isTempName, tempBeside } from "./temp-names";
import { writeZip } from "./write-zip";

export async function compressEntries(
  where: FileRoot,
  request: { paths: string[]; to: string; format: ArchiveFormat },
): Promise<FileEntry> {
  const selection = await archiveSelection(where.root, request.paths);
  const target = await resolveEntry(where.root, request.to);
  if (await lstat(target.absolute).catch(() => null)) {
    throw new FileError("CONFLICT", `${shown(target.relative)} already exists`);
  }
  const parent = await lstat(path.dirname(target.absolute)).catch(() => null);
  if (!parent?.isDirectory()) {
    throw new FileError("NOT_FOUND", `The folder of ${shown(target.relative)} does not exist`);
  }
  const temp = tempBeside(target.absolute);
  // Half-made files (this archive, or another operation's) are never stored.
  const skip = (absolute: string) => absolute === temp || isTempName(path.basename(absolute));
  try {
    if (request.format === "zip") {
      await writeZip({ base: selection.base, names: selection.names, file: temp, skip });
    } else {
      await createTar(
        {
          gzip: true,
          file: temp,
          cwd: selection.base,
          portable: true,
          follow: false,
          strict: true,
          filter: (entryPath: string) => !skip(path.resolve(selection.base, entryPath)),
        },
        selection.names,
      );
    }
    await giveTo(where.owner, temp);
    await rename(temp, target.absolute);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw explain(error, target.relative, "write");
  }
  return describeEntry(target.absolute, path.basename(target.absolute));
}
