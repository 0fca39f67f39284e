import { z } from "zod";
import { ServerIdInput } from "./create-server.schema";

export const ListCrashesInput = ServerIdInput.extend({
  limit: z.number().int().min(1).max(100).default(20),
  /** `nextCursor` of the previous page. */
  cursor: z.string().min(1).max(64).nullish(),
});
