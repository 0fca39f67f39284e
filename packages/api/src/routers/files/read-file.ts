import { fileOperation } from "../../services/files/file-operation";
import { protectedProcedure } from "../../trpc";
import { FilePathInput } from "./files.schema";

/** A text file for the editor (at most TEXT_FILE_MAX_BYTES; binary files are refused). */
export const readFile = protectedProcedure.input(FilePathInput).query(async ({ ctx, input }) => {
  const result = await fileOperation({
    ...ctx,
    serverId: input.serverId,
    operation: { op: "read", path: input.path },
    expect: "text",
  });
  return result.file;
});
