import { FILE_PATH_MAX_BYTES, ModAction } from "@berth/protocol";
import { z } from "zod";

export const ModsServerInput = z.object({ serverId: z.string().min(1).max(64) });

export const ModActionInput = ModsServerInput.extend({
  /** The jar as listed (`ModInfo.file`, e.g. `mods/sodium.jar`); the node checks the rest. */
  file: z.string().min(1, "Choose a jar.").max(FILE_PATH_MAX_BYTES),
  action: ModAction,
});
