import { z } from "zod";

export const UpdateSettingsInput = z.object({ signupEnabled: z.boolean() }).partial();
