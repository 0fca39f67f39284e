import { deleteFiles as deleteServerFiles } from "../../services/files/delete-files";
import { protectedProcedure } from "../../trpc";
import { DeleteFilesInput } from "./files.schema";

/** Deletes files and folders (audited). */
export const deleteFiles = protectedProcedure
  .input(DeleteFilesInput)
  .mutation(({ ctx, input }) => deleteServerFiles({ ...ctx, ...input }));
