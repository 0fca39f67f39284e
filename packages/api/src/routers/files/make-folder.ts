import { fileOperation } from "../../services/files/file-operation";
import { protectedProcedure } from "../../trpc";
import { FilePathInput } from "./files.schema";

/** A new folder (and any missing folders above it). */
export const makeFolder = protectedProcedure
  .input(FilePathInput)
  .mutation(async ({ ctx, input }) => {
    const result = await fileOperation({
      ...ctx,
      serverId: input.serverId,
      operation: { op: "mkdir", path: input.path },
      expect: "entry",
    });
    return result.entry;
  });
