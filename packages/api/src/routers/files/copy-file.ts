import { fileOperation } from "../../services/files/file-operation";
import { protectedProcedure } from "../../trpc";
import { MoveFileInput } from "./files.schema";

/** Copies a file or a folder with everything in it; never over an existing entry. */
export const copyFile = protectedProcedure.input(MoveFileInput).mutation(async ({ ctx, input }) => {
  const result = await fileOperation({
    ...ctx,
    serverId: input.serverId,
    operation: { op: "copy", from: input.from, to: input.to },
    expect: "entry",
  });
  return result.entry;
});
