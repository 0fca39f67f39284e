// Downloads from a server's folder, streamed: a file as it is (with its length), a folder as a
// .tar.gz made on the fly. The path is confined to the folder; the archive stores symlinks as
// links and never follows them, and leaves out sockets, pipes and devices.
import { open, readdir } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { create as createTar } from "tar";
import { FileError, resolveInside } from "../files/server-paths";

/** Fast enough to keep up with a network; game folders still shrink well. */
const GZIP_LEVEL = 3;

/**
 * `attachment` with a plain ASCII `filename` for old clients and the exact name as RFC 5987
 * `filename*` (UTF-8, percent-encoded).
 */
export function contentDisposition(name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\%]/g, "_");
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/**
 * Answers a GET or HEAD for `userPath` inside `root` ("" is the folder itself, named
 * `folderName`). Throws FileError before anything is sent when the path is refused or missing.
 */
export async function sendDownload({
  root,
  userPath,
  folderName,
  req,
  res,
}: {
  root: string;
  userPath: string;
  folderName: string;
  req: IncomingMessage;
  res: ServerResponse;
}): Promise<void> {
  const target = await resolveInside(root, userPath);
  // Opened before anything is answered, so what is sent is what was checked.
  const handle = await open(target.absolute, "r").catch((error: unknown) => {
    throw missing(error, target.relative);
  });
  let handed = false;
  try {
    const info = await handle.stat();
    const name = target.relative === "" ? folderName : path.posix.basename(target.relative);
    const common = { "cache-control": "no-store", "x-content-type-options": "nosniff" };
    if (info.isFile()) {
      res.writeHead(200, {
        ...common,
        "content-type": "application/octet-stream",
        "content-length": info.size,
        "content-disposition": contentDisposition(name),
      });
      if (req.method === "HEAD") {
        res.end();
        return;
      }
      handed = true;
      await pipeline(handle.createReadStream({ highWaterMark: 1024 * 1024 }), res);
      return;
    }
    if (!info.isDirectory()) throw new FileError("BAD_REQUEST", `${name} is not a file`);
    await handle.close();
    handed = true;
    res.writeHead(200, {
      ...common,
      "content-type": "application/gzip",
      "content-disposition": contentDisposition(`${name}.tar.gz`),
    });
    if (req.method === "HEAD") {
      res.end();
      return;
    }
    const entries = (await readdir(target.absolute)).sort();
    const archive = createTar(
      {
        gzip: { level: GZIP_LEVEL },
        cwd: target.absolute,
        prefix: name,
        portable: true,
        follow: false,
        filter: (_entry, stats) =>
          !("isFile" in stats) || stats.isFile() || stats.isDirectory() || stats.isSymbolicLink(),
      },
      entries.length > 0 ? entries : ["."],
    );
    await pipeline(archive, res);
  } finally {
    if (!handed) await handle.close().catch(() => undefined);
  }
}

function missing(error: unknown, relative: string): Error {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT" || code === "ENOTDIR") {
    return new FileError("NOT_FOUND", `${relative || "The folder"} does not exist`);
  }
  return error as Error;
}
