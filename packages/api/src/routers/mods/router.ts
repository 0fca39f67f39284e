import { listMods } from "../../services/mods/list-mods";
import { modAction } from "../../services/mods/mod-action";
import { createTRPCRouter, protectedProcedure } from "../../trpc";
import { ModActionInput, ModsServerInput } from "./mods.schema";

export const modsRouter = createTRPCRouter({
  /** The jars in the game server's mods/ and plugins/ with their metadata and missing dependencies. */
  list: protectedProcedure
    .input(ModsServerInput)
    .query(({ ctx, input }) => listMods({ ...ctx, serverId: input.serverId })),

  /** Enable, disable or remove one jar; answers with the listing after the change. */
  action: protectedProcedure
    .input(ModActionInput)
    .mutation(({ ctx, input }) => modAction({ ...ctx, ...input })),
});
