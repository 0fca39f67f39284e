import { fileOperation } from "../../services/files/file-operation";
import { protectedProcedure } from "../../trpc";
import { WriteFileInput } from "./files.schema";

/** Saves a text file whole (CONFLICT when `expectedMtimeMs` is given and the file changed since). */
export const writeFile = protectedProcedure
  .input(WriteFileInput)
  .mutation(async ({ ctx, input }) => {
    const result = await fileOperation({
      ...ctx,
      serverId: input.serverId,
      operation: {
        op: "write",
        path: input.path,
        content: input.content,
        ...(input.expectedMtimeMs !== undefined ? { expectedMtimeMs: input.expectedMtimeMs } : {}),
      },
      expect: "entry",
    });
    return result.entry;
  });
