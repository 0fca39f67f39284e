import { fileOperation } from "../../services/files/file-operation";
import { protectedProcedure } from "../../trpc";
import { MoveFileInput } from "./files.schema";

/** Renames or moves a file or folder; never over an existing entry. */
export const renameFile = protectedProcedure
  .input(MoveFileInput)
  .mutation(async ({ ctx, input }) => {
    const result = await fileOperation({
      ...ctx,
      serverId: input.serverId,
      operation: { op: "rename", from: input.from, to: input.to },
      expect: "entry",
    });
    return result.entry;
  });
