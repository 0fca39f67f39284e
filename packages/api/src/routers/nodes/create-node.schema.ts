import { z } from "zod";

export const CreateNodeInput = z.object({
  name: z
    .string()
    .trim()
    .min(1, "Enter a name.")
    .max(63)
    .regex(/^[a-z0-9][a-z0-9-]*$/, "Use lowercase letters, digits and dashes."),
});

export const RevokeNodeInput = z.object({ nodeId: z.string().min(1).max(64) });
