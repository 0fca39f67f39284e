import { z } from "zod";
import { ServerIdInput } from "./create-server.schema";

export const ServerStatsInput = ServerIdInput.extend({
  range: z.enum(["15m", "1h", "6h", "24h"]).default("1h"),
});
