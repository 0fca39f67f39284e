import { z } from "zod";

/** Longest single name a Linux file system takes, in UTF-8 bytes. */
export const FILE_NAME_MAX_BYTES = 255;
/** Longest relative path accepted, in UTF-8 bytes. */
export const FILE_PATH_MAX_BYTES = 4096;
/** Largest file the text editor reads or writes through the agent link. */
export const TEXT_FILE_MAX_BYTES = 1024 * 1024;

const ServerId = z.string().min(1).max(64);

// Bulk bytes never travel inside socket messages: they go over HTTP.
//   browser ──/api/files/<serverId>/download?path=…──▶ portal ──/files/<serverId>/download?path=…──▶ agent
//   browser ──/api/files/<serverId>/uploads/… (tus 1.0)──▶ portal ──/files/<serverId>/uploads/…──▶ agent
// The portal checks the user's session and ownership, then forwards with a `files` grant.

/** The agent's listener serves `<AGENT_FILES_PATH><serverId>/download` and `/uploads/…`. */
export const AGENT_FILES_PATH = "/files/";
/** The portal's browser-facing file routes: `<PORTAL_FILES_PATH><serverId>/download|uploads/…`. */
export const PORTAL_FILES_PATH = "/api/files/";
/** tus `Upload-Metadata` key naming the destination, relative to the server's folder. */
export const UPLOAD_PATH_METADATA = "path";

/**
 * A path inside a server's data folder as people type it: POSIX, relative to the folder ("" is the
 * folder itself). The agent resolves and confines it; this schema only bounds its size.
 */
export const ServerPath = z.string().max(FILE_PATH_MAX_BYTES * 4);
export type ServerPath = z.infer<typeof ServerPath>;

export const FileType = z.enum(["file", "dir", "symlink", "other"]);
export type FileType = z.infer<typeof FileType>;

export const FileEntry = z.object({
  name: z.string(),
  /** Bytes (0 for folders). */
  size: z.number().int().nonnegative(),
  mtimeMs: z.number(),
  type: FileType,
  /** Permission bits (`mode & 0o7777`). */
  mode: z.number().int().nonnegative(),
});
export type FileEntry = z.infer<typeof FileEntry>;

export const FileListing = z.object({ path: z.string(), entries: z.array(FileEntry) });
export type FileListing = z.infer<typeof FileListing>;

export const TextFile = z.object({
  path: z.string(),
  content: z.string(),
  size: z.number().int(),
  mtimeMs: z.number(),
});
export type TextFile = z.infer<typeof TextFile>;

export const ArchiveFormat = z.enum(["tar.gz", "zip"]);
export type ArchiveFormat = z.infer<typeof ArchiveFormat>;

/** One file operation on a server's data folder (control only: bulk bytes go over HTTP). */
export const FileOperation = z.discriminatedUnion("op", [
  z.object({ op: z.literal("list"), path: ServerPath }),
  z.object({ op: z.literal("read"), path: ServerPath }),
  z.object({
    op: z.literal("write"),
    path: ServerPath,
    content: z.string(),
    /** Refuse the write when the file changed since it was read (optimistic lock). */
    expectedMtimeMs: z.number().optional(),
  }),
  z.object({ op: z.literal("mkdir"), path: ServerPath }),
  z.object({ op: z.literal("rename"), from: ServerPath, to: ServerPath }),
  z.object({ op: z.literal("copy"), from: ServerPath, to: ServerPath }),
  z.object({ op: z.literal("delete"), paths: z.array(ServerPath).min(1).max(1000) }),
  z.object({
    op: z.literal("compress"),
    paths: z.array(ServerPath).min(1).max(1000),
    to: ServerPath,
    format: ArchiveFormat,
  }),
  z.object({ op: z.literal("extract"), path: ServerPath, to: ServerPath }),
]);
export type FileOperation = z.infer<typeof FileOperation>;

export const FileRequest = z.object({ serverId: ServerId, operation: FileOperation });
export type FileRequest = z.infer<typeof FileRequest>;

/** What each operation answers: a listing, a text file, or the entry it made or changed. */
export const FileResult = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("listing"), listing: FileListing }),
  z.object({ kind: z.literal("text"), file: TextFile }),
  z.object({ kind: z.literal("entry"), entry: FileEntry }),
  z.object({ kind: z.literal("done") }),
]);
export type FileResult = z.infer<typeof FileResult>;

export const ModLoader = z.enum(["fabric", "forge", "neoforge", "bukkit", "paper", "unknown"]);
export type ModLoader = z.infer<typeof ModLoader>;

export const ModDependency = z.object({
  id: z.string(),
  versionRange: z.string().nullable(),
  required: z.boolean(),
});
export type ModDependency = z.infer<typeof ModDependency>;

export const ModFolder = z.enum(["mods", "plugins"]);
export type ModFolder = z.infer<typeof ModFolder>;

export const ModInfo = z.object({
  /** Path relative to the server's folder, e.g. `mods/sodium.jar` or `plugins/x.jar.disabled`. */
  file: z.string(),
  folder: ModFolder,
  enabled: z.boolean(),
  sizeBytes: z.number().int().nonnegative(),
  id: z.string().nullable(),
  name: z.string().nullable(),
  version: z.string().nullable(),
  loader: ModLoader,
  dependencies: z.array(ModDependency),
  /** Why the metadata could not be read (the jar is still listed). */
  error: z.string().nullable(),
});
export type ModInfo = z.infer<typeof ModInfo>;

export const MissingDependency = z.object({
  file: z.string(),
  modId: z.string().nullable(),
  dependencyId: z.string(),
});
export type MissingDependency = z.infer<typeof MissingDependency>;

export const ModListing = z.object({ mods: z.array(ModInfo), missing: z.array(MissingDependency) });
export type ModListing = z.infer<typeof ModListing>;

export const ModAction = z.enum(["enable", "disable", "remove"]);
export type ModAction = z.infer<typeof ModAction>;

export const ModActionRequest = z.object({
  serverId: ServerId,
  /** The jar as listed (`ModInfo.file`). */
  file: ServerPath,
  action: ModAction,
});
export type ModActionRequest = z.infer<typeof ModActionRequest>;
