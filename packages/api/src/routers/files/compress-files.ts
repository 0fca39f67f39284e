import { fileOperation } from "../../services/files/file-operation";
import { protectedProcedure } from "../../trpc";
import { CompressFilesInput } from "./files.schema";

/** Packs the chosen entries into a new .tar.gz or .zip, named relative to the folder they share. */
export const compressFiles = protectedProcedure
  .input(CompressFilesInput)
  .mutation(async ({ ctx, input }) => {
    const result = await fileOperation({
      ...ctx,
      serverId: input.serverId,
      operation: { op: "compress", paths: input.paths, to: input.to, format: input.format },
      expect: "entry",
    });
    return result.entry;
  });
