// Resumable uploads (tus 1.0, @tus/server with @tus/file-store) into servers' folders. Bytes are
// staged outside the server's folder, in `<staging root>/<serverId>/<uploadId>` (+ tus's `.json`
// sidecar) on the agent's data file system, and renamed into place once the last byte arrived, so
// a half file is never visible at the destination. A server's disk quota is checked when an
// upload is created (its whole length, plus what other unfinished uploads to it reserve) and
// again while bytes stream in (the folder can grow meanwhile); past it the upload is refused with
// 413 and its staged bytes removed. Unfinished uploads expire (24 h by default) and are swept.
import {
  chown,
  copyFile,
  lchown,
  lstat,
  mkdir,
  readdir,
  readFile,
  realpath,
  rename,
  rm,
  type FileHandle,
} from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import { constants, createWriteStream } from "node:fs";
import { Transform, type Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { FileStore } from "@tus/file-store";
import { ERRORS, Server, type Upload } from "@tus/server";
import { AGENT_FILES_PATH, UPLOAD_PATH_METADATA, type ErrorCode } from "@berth/protocol";
import type { Logger } from "pino";
import { FileError, resolveInside, type ResolvedPath } from "../files/server-paths";
import { DiskUsage } from "./disk-usage";
import { openFolder } from "./open-folder";

/** Where an upload goes and how much its server may hold. */
export interface UploadTarget {
  serverId: string;
  /** The server's folder on this node. */
  root: string;
  /** The folder's quota in MiB; null: none. */
  diskMb: number | null;
  /** Who placed files and the folders made for them belong to; null: the agent's own user. */
  owner: { uid: number; gid: number } | null;
}

export interface UploadsOptions {
  /** Staging folders go below it, one per server; same file system as the servers' folders. */
  stagingRoot: string;
  log: Logger;
  /** An unfinished upload is dropped this long after it was created. */
  expiryMs?: number;
  usage?: DiskUsage;
  now?: () => number;
}

/** A refusal as tus hooks throw it: the status and a `{ code, message }` body. */
export interface TusRefusal {
  status_code: number;
  body: string;
}

export const DEFAULT_UPLOAD_EXPIRY_MS = 24 * 60 * 60 * 1000;
/** While bytes stream in, the quota is checked again after this many. */
const QUOTA_CHECK_EVERY_BYTES = 8 * 1024 * 1024;
const MIB = 1024 * 1024;
/** Bytes of an upload buffered for the file system at most. */
const WRITE_BUFFER = 4 * MIB;

export function tusRefusal(status: number, code: ErrorCode, message: string): TusRefusal {
  return { status_code: status, body: JSON.stringify({ code, message }) };
}

const FILE_ERROR_STATUS: Partial<Record<ErrorCode, number>> = {
  BAD_REQUEST: 400,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
};

function refusalOfFileError(error: FileError): TusRefusal {
  return tusRefusal(FILE_ERROR_STATUS[error.code] ?? 500, error.code, error.message);
}

function isRefusal(value: unknown): value is TusRefusal {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as TusRefusal).status_code === "number" &&
    typeof (value as TusRefusal).body === "string"
  );
}

const CODE_OF_STATUS: Record<number, ErrorCode> = {
  400: "BAD_REQUEST",
  403: "FORBIDDEN",
  404: "NOT_FOUND",
  409: "CONFLICT",
  410: "NOT_FOUND",
  412: "BAD_REQUEST",
  413: "BAD_REQUEST",
  415: "BAD_REQUEST",
  460: "CONFLICT",
};

/** Sizes as people read them: 1.5 GiB, 300 MiB, 12 KiB. */
export function formatBytes(bytes: number): string {
  const units = ["bytes", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  if (unit === 0) return `${bytes} bytes`;
  const shown = value >= 100 ? value.toFixed(0) : value.toFixed(1).replace(/\.0$/, "");
  return `${shown} ${units[unit]}`;
}

/** One server's tus endpoint and staging folder. */
interface Station {
  tus: Server;
  store: StagingStore;
  directory: string;
}

export class Uploads {
  readonly #options: UploadsOptions;
  readonly #log: Logger;
  readonly #expiryMs: number;
  readonly #usage: DiskUsage;
  readonly #stations = new Map<string, Promise<Station>>();
  /** The newest target of each server, as the last request named it. */
  readonly #targets = new Map<string, UploadTarget>();
  /** Creations per server run one at a time, so two cannot both take the last free room. */
  readonly #creating = new Map<string, Promise<unknown>>();
  #sweeper: NodeJS.Timeout | null = null;

  constructor(options: UploadsOptions) {
    this.#options = options;
    this.#log = options.log;
    this.#expiryMs = options.expiryMs ?? DEFAULT_UPLOAD_EXPIRY_MS;
    this.#usage = options.usage ?? new DiskUsage();
  }

  /** The staging folder of one server's uploads. */
  stagingFolder(serverId: string): string {
    return path.join(this.#options.stagingRoot, serverId);
  }

  /** Answers one tus request (POST, HEAD, PATCH, DELETE, OPTIONS) for `target`'s server. */
  async handle(target: UploadTarget, req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.#targets.set(target.serverId, target);
    const station = await this.#station(target.serverId);
    await station.tus.handle(req, res);
  }

  /**
   * Removes expired unfinished uploads, leftovers without a sidecar, and the staging folders of
   * servers that `known` no longer names. Returns how many uploads went.
   */
  async sweep(known: (serverId: string) => boolean): Promise<number> {
    const root = this.#options.stagingRoot;
    const folders = await readdir(root).catch(() => [] as string[]);
    const now = (this.#options.now ?? Date.now)();
    let removed = 0;
    for (const serverId of folders) {
      const folder = path.join(root, serverId);
      if (!known(serverId)) {
        this.#stations.delete(serverId);
        await rm(folder, { recursive: true, force: true });
        this.#log.info({ serverId }, "removed the uploads of a server no longer on this node");
        continue;
      }
      const names = await readdir(folder).catch(() => [] as string[]);
      const sidecars = new Set(names.filter((n) => n.endsWith(".json")));
      for (const name of names) {
        if (name.endsWith(".json")) continue;
        const file = path.join(folder, name);
        let created: number;
        if (sidecars.has(`${name}.json`)) {
          const info = await readUploadInfo(path.join(folder, `${name}.json`));
          created = info?.creation_date ? Date.parse(info.creation_date) : 0;
        } else {
          created = (await lstat(file).catch(() => null))?.mtimeMs ?? 0;
        }
        if (now - created < this.#expiryMs) continue;
        await rm(file, { force: true });
        await rm(`${file}.json`, { force: true });
        removed++;
        this.#log.info({ serverId, uploadId: name }, "expired upload removed");
      }
    }
    return removed;
  }

  /** Sweeps now and then every `everyMs` (default: an hour) until closed. */
  startSweeping(known: (serverId: string) => boolean, everyMs = 60 * 60 * 1000): void {
    const run = () =>
      void this.sweep(known).catch((error: unknown) =>
        this.#log.warn({ err: error }, "cannot sweep expired uploads"),
      );
    run();
    this.#sweeper = setInterval(run, everyMs);
    this.#sweeper.unref();
  }

  close(): void {
    if (this.#sweeper) clearInterval(this.#sweeper);
    this.#sweeper = null;
  }

  #station(serverId: string): Promise<Station> {
    let station = this.#stations.get(serverId);
    if (!station) {
      station = this.#makeStation(serverId);
      this.#stations.set(serverId, station);
      station.catch(() => this.#stations.delete(serverId));
    }
    return station;
  }

  async #makeStation(serverId: string): Promise<Station> {
    const directory = this.stagingFolder(serverId);
    // FileStore makes its folder too, but throws from a callback if it cannot.
    await mkdir(directory, { recursive: true, mode: 0o700 });
    const store = new StagingStore({
      directory,
      expirationPeriodInMilliseconds: this.#expiryMs,
      beforeCreate: (upload) => this.#reserve(serverId, upload),
      guard: () => this.#checkQuota(serverId, null),
    });
    const tus = new Server({
      path: `${AGENT_FILES_PATH}${serverId}/uploads`,
      datastore: store,
      // `/files/<serverId>/uploads/<id>`: the portal puts its own prefix in front.
      relativeLocation: true,
      respectForwardedHeaders: false,
      onUploadCreate: async (_req, upload) => {
        await this.#destination(serverId, upload);
        return {};
      },
      onUploadFinish: async (_req, upload) => {
        await this.#place(serverId, store, upload);
        return {};
      },
      onResponseError: (_req, error) => this.#wireError(serverId, error),
    });
    return { tus, store, directory };
  }

  #target(serverId: string): UploadTarget {
    const target = this.#targets.get(serverId);
    if (!target) throw tusRefusal(404, "NOT_FOUND", `Server ${serverId} is not on this node`);
    return target;
  }

  /** The upload's destination inside the server's folder, refused when it cannot be one. */
  async #destination(serverId: string, upload: Upload): Promise<ResolvedPath> {
    if (upload.size === undefined) {
      throw tusRefusal(400, "BAD_REQUEST", "An upload must declare its length (Upload-Length)");
    }
    const wanted = upload.metadata?.[UPLOAD_PATH_METADATA];
    if (!wanted) {
      throw tusRefusal(
        400,
        "BAD_REQUEST",
        `Upload-Metadata must name the destination ("${UPLOAD_PATH_METADATA}")`,
      );
    }
    const { root } = this.#target(serverId);
    try {
      const destination = await resolveInside(root, wanted);
      if (destination.relative === "") {
        throw new FileError("BAD_REQUEST", "The destination must be a file, not the folder itself");
      }
      const existing = await lstat(destination.absolute).catch(() => null);
      if (existing?.isDirectory()) {
        throw new FileError("CONFLICT", `${destination.relative} is a folder`);
      }
      return destination;
    } catch (error) {
      if (error instanceof FileError) throw refusalOfFileError(error);
      throw error;
    }
  }

  /** Before an upload's sidecar is written: refused if its length would pass the quota. */
  async #reserve(serverId: string, upload: Upload): Promise<() => void> {
    const previous = this.#creating.get(serverId) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const queued = previous.then(() => mine);
    this.#creating.set(serverId, queued);
    void queued.then(() => {
      if (this.#creating.get(serverId) === queued) this.#creating.delete(serverId);
    });
    await previous;
    try {
      await this.#checkQuota(serverId, upload.size ?? 0).then((refusal) => {
        if (refusal) throw refusal;
      });
    } catch (error) {
      release();
      throw error;
    }
    return release;
  }

  /**
   * Null when the server's folder, the unfinished uploads to it and `adding` more bytes fit its
   * quota; else the refusal. `adding` null: a check while an already reserved upload streams.
   */
  async #checkQuota(serverId: string, adding: number | null): Promise<TusRefusal | null> {
    const { root, diskMb } = this.#target(serverId);
    if (diskMb === null) return null;
    const quota = diskMb * MIB;
    const [used, reserved] = await Promise.all([this.#usage.of(root), this.#reserved(serverId)]);
    if (used + reserved + (adding ?? 0) <= quota) return null;
    const message =
      adding === null
        ? `The server's folder reached its disk quota of ${formatBytes(quota)} ` +
          `(${formatBytes(used)} used) while this upload was in progress; ` +
          "the upload was stopped and its data removed"
        : `Not enough room: this upload needs ${formatBytes(adding)}, and the server's folder ` +
          `already holds ${formatBytes(used)} of its ${formatBytes(quota)} disk quota` +
          (reserved > 0 ? ` (${formatBytes(reserved)} more reserved by unfinished uploads)` : "");
    return tusRefusal(413, "BAD_REQUEST", message);
  }

  /** Bytes that the unfinished uploads to a server will add once they finish. */
  async #reserved(serverId: string): Promise<number> {
    const folder = this.stagingFolder(serverId);
    const names = await readdir(folder).catch(() => [] as string[]);
    let total = 0;
    for (const name of names) {
      if (!name.endsWith(".json")) continue;
      total += (await readUploadInfo(path.join(folder, name)))?.size ?? 0;
    }
    return total;
  }

  /**
   * The last byte arrived: the staged file is renamed into place, given to the server's user.
   * The destination's folders are opened one by one without following symlinks and the rename
   * goes through the last one's descriptor, so a server that swaps a folder for a symlink after
   * the check cannot make the (root) agent put the file outside its folder.
   */
  async #place(serverId: string, store: StagingStore, upload: Upload): Promise<void> {
    const staged = path.join(store.directory, upload.id);
    const { root, owner: wanted } = this.#target(serverId);
    // Only root can give files away; any other agent user keeps them (the process driver runs
    // servers as that user anyway).
    const owner = process.getuid?.() === 0 ? wanted : null;
    let relative: string;
    let folder: FileHandle;
    try {
      relative = (await this.#destination(serverId, upload)).relative;
      const segments = relative.split("/").slice(0, -1);
      folder = await openFolder(await realpath(root), segments, owner);
    } catch (error) {
      // The destination stopped being one (a folder was made there, a symlink changed): the
      // bytes have nowhere to go.
      await store.remove(upload.id).catch(() => undefined);
      if (error instanceof FileError) throw refusalOfFileError(error);
      throw error;
    }
    const name = path.posix.basename(relative);
    const inFolder = (entry: string) => `/proc/self/fd/${folder.fd}/${entry}`;
    try {
      if (owner) await chown(staged, owner.uid, owner.gid);
      try {
        await rename(staged, inFolder(name));
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === "EISDIR" || code === "ENOTEMPTY" || code === "EEXIST") {
          await store.remove(upload.id).catch(() => undefined);
          throw tusRefusal(409, "CONFLICT", `${relative} is a folder`);
        }
        if (code !== "EXDEV") throw error;
        // Staging on another file system: copy beside the destination, then rename there.
        const beside = inFolder(`.${upload.id}.berth-upload`);
        try {
          await copyFile(staged, beside, constants.COPYFILE_EXCL);
          if (owner) await lchown(beside, owner.uid, owner.gid);
          await rename(beside, inFolder(name));
        } finally {
          await rm(beside, { force: true });
        }
        await rm(staged, { force: true });
      }
    } finally {
      await folder.close();
    }
    await rm(`${staged}.json`, { force: true });
    this.#usage.forget(root);
    this.#log.info(
      { serverId, uploadId: upload.id, bytes: upload.size, path: relative },
      "upload finished",
    );
  }

  /** Every answer's body is `{ code, message }`; unknown errors are logged, not shown. */
  #wireError(serverId: string, error: Error | TusRefusal): TusRefusal {
    if (isRefusal(error)) {
      if (error.body.startsWith("{")) return error;
      const status = error.status_code;
      return tusRefusal(status, CODE_OF_STATUS[status] ?? "INTERNAL", error.body.trim());
    }
    this.#log.error({ err: error, serverId }, "upload failed");
    return tusRefusal(500, "INTERNAL", "Something went wrong with this upload");
  }
}

/** tus's file store with a quota check before a creation and while bytes are written. */
class StagingStore extends FileStore {
  readonly #beforeCreate: (upload: Upload) => Promise<() => void>;
  readonly #guard: () => Promise<TusRefusal | null>;

  constructor({
    beforeCreate,
    guard,
    ...options
  }: {
    directory: string;
    expirationPeriodInMilliseconds: number;
    beforeCreate: (upload: Upload) => Promise<() => void>;
    guard: () => Promise<TusRefusal | null>;
  }) {
    super(options);
    this.#beforeCreate = beforeCreate;
    this.#guard = guard;
  }

  override async create(upload: Upload): Promise<Upload> {
    const release = await this.#beforeCreate(upload);
    try {
      return await super.create(upload);
    } finally {
      release();
    }
  }

  override async write(
    readable: IncomingMessage | Readable,
    uploadId: string,
    offset: number,
  ): Promise<number> {
    const guard = this.#guard;
    let refusal: TusRefusal | null = null;
    let received = 0;
    // The first chunk is checked too: the folder may have grown since the last request.
    let sinceCheck = QUOTA_CHECK_EVERY_BYTES;
    const checked = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        sinceCheck += chunk.length;
        const pass = () => {
          received += chunk.length;
          done(null, chunk);
        };
        if (sinceCheck < QUOTA_CHECK_EVERY_BYTES) {
          pass();
          return;
        }
        sinceCheck = 0;
        guard().then((answer) => {
          if (!answer) {
            pass();
            return;
          }
          refusal = answer;
          done(new Error("disk quota reached"));
        }, done);
      },
    });
    // FileStore's own write stream keeps 16 KiB in flight and so waits for every 64 KiB socket
    // chunk's write; a deeper buffer lets the file system take several at once (writev). The
    // offset a later HEAD sees is the file's size, so a cut loses only what was in flight.
    const file = path.join(this.directory, uploadId);
    const out = createWriteStream(file, {
      flags: "r+",
      start: offset,
      highWaterMark: WRITE_BUFFER,
    });
    // The incoming stream is tus's; ending it early is tus's business, so it is piped, not
    // handed to pipeline (which would destroy it and turn a quota refusal into a stream error).
    readable.once("error", (error) => checked.destroy(error));
    readable.pipe(checked);
    try {
      await pipeline(checked, out);
    } catch {
      if (!refusal) throw ERRORS.FILE_WRITE_ERROR;
      await this.remove(uploadId).catch(() => undefined);
      throw refusal;
    }
    return offset + received;
  }
}

async function readUploadInfo(
  file: string,
): Promise<{ size?: number; creation_date?: string } | null> {
  try {
    return JSON.parse(await readFile(file, "utf8")) as { size?: number; creation_date?: string };
  } catch {
    return null;
  }
}
