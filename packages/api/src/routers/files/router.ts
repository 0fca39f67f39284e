import { createTRPCRouter } from "../../trpc";
import { compressFiles } from "./compress-files";
import { copyFile } from "./copy-file";
import { deleteFiles } from "./delete-files";
import { extractFile } from "./extract-file";
import { listFiles } from "./list-files";
import { makeFolder } from "./make-folder";
import { readFile } from "./read-file";
import { renameFile } from "./rename-file";
import { writeFile } from "./write-file";

/** A server's data folder, for its owner or an admin; every path is confined by the node. */
export const filesRouter = createTRPCRouter({
  list: listFiles,
  read: readFile,
  write: writeFile,
  mkdir: makeFolder,
  rename: renameFile,
  copy: copyFile,
  delete: deleteFiles,
  compress: compressFiles,
  extract: extractFile,
});
