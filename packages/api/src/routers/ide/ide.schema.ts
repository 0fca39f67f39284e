import { z } from "zod";

export const IdeServerInput = z.object({ serverId: z.string().min(1).max(64) });
