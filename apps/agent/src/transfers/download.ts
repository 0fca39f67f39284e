// Downloads from a server's folder, streamed: a file as it is (with its length), a folder as a
// .tar.gz made on the fly. The path is confined to the folder, then opened component by component
// without following symlinks (open-folder.ts), so what is sent is what was checked. The archive
// stores symlinks as links, never follows them and leaves out sockets, pipes and devices; when the
// agent is root and the server has a user of its own, the archive is made by a child process
// running as that user (given the folder as an open descriptor), so a folder swapped for a symlink
// mid-walk reaches nothing the server could not read itself.
import { spawn } from "node:child_process";
import { accessSync, constants, Stats } from "node:fs";
import { readdir, realpath, type FileHandle } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createRequire } from "node:module";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import type { Logger } from "pino";
import { create as createTar } from "tar";
import { ownerCanReach } from "../files/owner-reach";
import { FileError, resolveInside } from "../files/server-paths";
import { inFolder, openFolder, openNoFollow } from "./open-folder";

/** Fast enough to keep up with a network; game folders still shrink well. */
const GZIP_LEVEL = 3;
const TAR_MODULE = createRequire(import.meta.url).resolve("tar");

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
  owner,
  req,
  res,
  log,
}: {
  root: string;
  userPath: string;
  folderName: string;
  /** The server's user; null: the agent's own. */
  owner: { uid: number; gid: number } | null;
  req: IncomingMessage;
  res: ServerResponse;
  log: Logger;
}): Promise<void> {
  const target = await resolveInside(root, userPath);
  const handle = await openChecked(await realpath(root), target.relative);
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
    res.writeHead(200, {
      ...common,
      "content-type": "application/gzip",
      "content-disposition": contentDisposition(`${name}.tar.gz`),
    });
    if (req.method === "HEAD") {
      res.end();
      return;
    }
    // The archiver gets the folder as a descriptor, but loads tar by name.
    const runAs =
      process.getuid?.() === 0 && owner && (await ownerCanReach(owner, TAR_MODULE)) ? owner : null;
    if (runAs) await archiveAs(runAs, handle, name, res, log);
    else await archiveHere(inFolder(handle, "."), name, res);
  } finally {
    if (!handed) await handle.close().catch(() => undefined);
  }
}

/** The entry `relative` names below `realRoot`, opened without following any symlink. */
async function openChecked(realRoot: string, relative: string): Promise<FileHandle> {
  const segments = relative === "" ? [] : relative.split("/");
  const last = segments.pop();
  try {
    const folder = await openFolder(realRoot, segments, null, { make: false });
    if (last === undefined) return folder;
    try {
      return await openNoFollow(folder, last, relative);
    } finally {
      await folder.close();
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") {
      throw new FileError("NOT_FOUND", `${relative || "The folder"} does not exist`);
    }
    throw error;
  }
}

// strict: a read error fails the archive (node-tar would otherwise stall on it); what the reader
// may not read is left out beforehand.
const tarOptions = (cwd: string, prefix: string) => ({
  gzip: { level: GZIP_LEVEL },
  cwd,
  prefix,
  portable: true,
  follow: false,
  strict: true,
});

/** Files, folders and symlinks that this process may read; nothing else. (Kept in step with
 * the same function in ARCHIVE_PROGRAM.) */
function archivable(cwd: string, entry: string, stats: unknown): boolean {
  if (!(stats instanceof Stats)) return true;
  if (stats.isSymbolicLink()) return true;
  if (!stats.isFile() && !stats.isDirectory()) return false;
  const mode = stats.isDirectory() ? constants.R_OK | constants.X_OK : constants.R_OK;
  try {
    accessSync(path.join(cwd, entry), mode);
    return true;
  } catch {
    return false;
  }
}

async function archiveHere(folder: string, name: string, res: ServerResponse): Promise<void> {
  const entries = (await readdir(folder)).sort();
  const archive = createTar(
    {
      ...tarOptions(folder, name),
      filter: (entry, stats) => archivable(folder, entry, stats),
    },
    entries.length > 0 ? entries : ["."],
  );
  await pipeline(archive, res);
}

/** The child's program: the folder is its descriptor 3; the archive goes to its stdout. */
const ARCHIVE_PROGRAM = `
const fs = require("node:fs");
const path = require("node:path");
const tar = require(process.argv[1]);
const options = JSON.parse(process.argv[2]);
const cwd = "/proc/self/fd/3";
const entries = fs.readdirSync(cwd).sort();
const archivable = (entry, stats) => {
  if (!(stats instanceof fs.Stats)) return true;
  if (stats.isSymbolicLink()) return true;
  if (!stats.isFile() && !stats.isDirectory()) return false;
  const { R_OK, X_OK } = fs.constants;
  try {
    fs.accessSync(path.join(cwd, entry), stats.isDirectory() ? R_OK | X_OK : R_OK);
    return true;
  } catch {
    return false;
  }
};
tar
  .c(
    { ...options, cwd, filter: archivable },
    entries.length > 0 ? entries : ["."],
  )
  .on("error", (error) => {
    process.stderr.write(String(error));
    process.exit(1);
  })
  .pipe(process.stdout);
`;

async function archiveAs(
  owner: { uid: number; gid: number },
  folder: FileHandle,
  name: string,
  res: ServerResponse,
  log: Logger,
): Promise<void> {
  const options = { ...tarOptions("", name), cwd: undefined };
  const child = spawn(
    process.execPath,
    ["-e", ARCHIVE_PROGRAM, TAR_MODULE, JSON.stringify(options)],
    {
      uid: owner.uid,
      gid: owner.gid,
      cwd: "/",
      // Nothing of the agent's environment: other processes of that user could read it.
      env: { NODE_ENV: "production" },
      stdio: ["ignore", "pipe", "pipe", folder.fd],
    },
  );
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
  const exited = new Promise<number | null>((resolve) => child.once("close", resolve));
  res.once("close", () => child.kill());
  try {
    await pipeline(child.stdout!, res, { end: false });
  } finally {
    const code = await exited;
    if (code !== 0) {
      log.warn({ code, stderr }, "archive of a folder failed");
      res.destroy();
    } else {
      res.end();
    }
  }
}
