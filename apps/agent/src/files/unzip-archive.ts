// Extracts a .zip into a fresh folder, entry by entry behind the same ArchivePolicy as the
// runtimes' tarballs: relative names without `..`, only files, folders and symlinks, nothing
// written through a symlink, links that stay inside. Files are created exclusively and without
// following links, so a repeated name cannot write through an earlier entry.
import { constants } from "node:fs";
import { mkdir, open, symlink } from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import type { Readable } from "node:stream";
import yauzl, { type Entry, type ZipFile } from "yauzl";
import {
  ArchivePolicy,
  DEFAULT_ARCHIVE_LIMITS,
  type ArchiveLimits,
} from "../runtimes/archive-policy";

const S_IFMT = 0o170000;
const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;
/** A symlink's target is its content; nothing longer is a path. */
const MAX_LINK_BYTES = 4096;

export async function unzipArchive(options: {
  file: string;
  dest: string;
  limits?: ArchiveLimits;
}): Promise<void> {
  const policy = new ArchivePolicy(options.limits ?? DEFAULT_ARCHIVE_LIMITS);
  const zip = await yauzl.openPromise(options.file, {
    lazyEntries: true,
    decodeStrings: true,
    validateEntrySizes: true,
    // Backslashes become slashes, and yauzl refuses absolute names and `..` in what results.
    strictFileNames: false,
    autoClose: false,
  });
  try {
    for (;;) {
      const entry = await nextEntry(zip);
      if (!entry) break;
      const type = entryType(entry);
      const linkpath = type === "SymbolicLink" ? await readLink(zip, entry) : undefined;
      policy.check({
        path: entry.fileName,
        type,
        ...(linkpath !== undefined ? { linkpath } : {}),
        size: entry.uncompressedSize,
      });
      const parts = entry.fileName.split("/").filter((part) => part !== "" && part !== ".");
      if (parts.length === 0) continue;
      const target = path.join(options.dest, ...parts);
      const mode = (entry.externalFileAttributes >>> 16) & 0o777;
      if (type === "Directory") {
        await mkdir(target, { recursive: true, mode: 0o755 });
        continue;
      }
      await mkdir(path.dirname(target), { recursive: true, mode: 0o755 });
      if (type === "SymbolicLink") {
        await symlink(linkpath!, target);
        continue;
      }
      const handle = await open(
        target,
        constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
        mode === 0 ? 0o644 : mode,
      );
      try {
        await pipeline(await zip.openReadStreamPromise(entry), handle.createWriteStream());
      } finally {
        await handle.close().catch(() => undefined);
      }
    }
    policy.finish();
  } finally {
    zip.close();
  }
}

function entryType(entry: Entry): string {
  const madeOnUnix = entry.versionMadeBy >> 8 === 3;
  const kind = madeOnUnix ? (entry.externalFileAttributes >>> 16) & S_IFMT : 0;
  if (entry.fileName.endsWith("/") || kind === S_IFDIR) return "Directory";
  if (kind === S_IFLNK) return "SymbolicLink";
  if (kind === 0 || kind === S_IFREG) return "File";
  return "Special";
}

function nextEntry(zip: ZipFile): Promise<Entry | null> {
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      zip.off("entry", onEntry);
      zip.off("end", onEnd);
      zip.off("error", onError);
    };
    const onEntry = (entry: Entry) => {
      cleanup();
      resolve(entry);
    };
    const onEnd = () => {
      cleanup();
      resolve(null);
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    zip.on("entry", onEntry);
    zip.on("end", onEnd);
    zip.on("error", onError);
    zip.readEntry();
  });
}

async function readLink(zip: ZipFile, entry: Entry): Promise<string> {
  if (entry.uncompressedSize > MAX_LINK_BYTES) {
    throw new Error(`symlink target too long: ${entry.fileName}`);
  }
  const stream: Readable = await zip.openReadStreamPromise(entry);
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
