import { ArchiveFormat, ServerPath } from "@berth/protocol";
import { z } from "zod";

const ServerId = z.string().min(1).max(64);
const Paths = z.array(ServerPath).min(1, "Choose at least one file.").max(1000);

/** A path in the server's data folder ("" is the folder itself); the node confines it. */
export const FilePathInput = z.object({ serverId: ServerId, path: ServerPath });

export const WriteFileInput = FilePathInput.extend({
  content: z.string(),
  /** The mtime the editor read; the node refuses the write when the file changed since. */
  expectedMtimeMs: z.number().optional(),
});

export const MoveFileInput = z.object({ serverId: ServerId, from: ServerPath, to: ServerPath });

export const DeleteFilesInput = z.object({ serverId: ServerId, paths: Paths });

export const CompressFilesInput = z.object({
  serverId: ServerId,
  paths: Paths,
  to: ServerPath,
  format: ArchiveFormat,
});

export const ExtractFileInput = z.object({ serverId: ServerId, path: ServerPath, to: ServerPath });
