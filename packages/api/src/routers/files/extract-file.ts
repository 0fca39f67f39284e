import { fileOperation } from "../../services/files/file-operation";
import { protectedProcedure } from "../../trpc";
import { ExtractFileInput } from "./files.schema";

/** Unpacks a .tar.gz or .zip into a folder (made when missing); an unsafe archive is refused whole. */
export const extractFile = protectedProcedure
  .input(ExtractFileInput)
  .mutation(async ({ ctx, input }) => {
    await fileOperation({
      ...ctx,
      serverId: input.serverId,
      operation: { op: "extract", path: input.path, to: input.to },
      expect: "done",
    });
    return { done: true as const };
  });
