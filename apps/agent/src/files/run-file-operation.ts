// One FileOperation against one server's folder, answered as a FileResult. Every path goes through
// resolveInside/resolveEntry in the operation itself; errors are FileErrors with short messages.
import type { FileOperation, FileResult } from "@berth/protocol";
import { compressEntries } from "./compress-entries";
import { copyEntry } from "./copy-entry";
import { deleteEntries } from "./delete-entries";
import { extractEntries } from "./extract-entries";
import type { FileRoot } from "./file-root";
import { listFolder } from "./list-folder";
import { makeFolder } from "./make-folder";
import { moveEntry } from "./move-entry";
import { readText } from "./read-text";
import { FileError } from "./server-paths";
import { writeText } from "./write-text";

export async function runFileOperation(
  where: FileRoot,
  operation: FileOperation,
): Promise<FileResult> {
  try {
    switch (operation.op) {
      case "list":
        return { kind: "listing", listing: await listFolder(where, operation.path) };
      case "read":
        return { kind: "text", file: await readText(where, operation.path) };
      case "write":
        return { kind: "entry", entry: await writeText(where, operation) };
      case "mkdir":
        return { kind: "entry", entry: await makeFolder(where, operation.path) };
      case "rename":
        return { kind: "entry", entry: await moveEntry(where, operation.from, operation.to) };
      case "copy":
        return { kind: "entry", entry: await copyEntry(where, operation.from, operation.to) };
      case "delete":
        await deleteEntries(where, operation.paths);
        return { kind: "done" };
      case "compress":
        return { kind: "entry", entry: await compressEntries(where, operation) };
      case "extract":
        await extractEntries(where, operation);
        return { kind: "done" };
    }
  } catch (error) {
    if (error instanceof FileError) throw error;
    throw new FileError("INTERNAL", `The ${operation.op} could not be done on the node`, {
      cause: error,
    });
  }
}
