import { z } from "zod";
import { ServerIdInput } from "./create-server.schema";

const DAY_S = 86_400;

export const UpdateRestartPolicyInput = ServerIdInput.extend({
  autoRestart: z.boolean(),
  /** Seconds before the 1st, 2nd, 3rd… automatic restart; the last one repeats. */
  restartDelaysS: z
    .array(z.number().int().min(0, "Delays cannot be negative.").max(DAY_S, "At most a day."))
    .min(1, "Give at least one delay.")
    .max(10, "At most 10 delays."),
  /** Uptime after which the backoff starts over. */
  restartResetS: z.number().int().min(0).max(DAY_S, "At most a day."),
  /** Consecutive crashes that pause automatic restarts. */
  crashLoopAfter: z.number().int().min(1, "At least 1.").max(100, "At most 100."),
});
