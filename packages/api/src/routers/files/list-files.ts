import { fileOperation } from "../../services/files/file-operation";
import { protectedProcedure } from "../../trpc";
import { FilePathInput } from "./files.schema";

/** A folder's entries, folders first. */
export const listFiles = protectedProcedure.input(FilePathInput).query(async ({ ctx, input }) => {
  const result = await fileOperation({
    ...ctx,
    serverId: input.serverId,
    operation: { op: "list", path: input.path },
    expect: "listing",
  });
  return result.listing;
});
