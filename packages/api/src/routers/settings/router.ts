import { recordAudit } from "../../services/audit";
import { getSettings, updateSettings } from "../../services/settings/settings";
import { adminProcedure, createTRPCRouter, publicProcedure } from "../../trpc";
import { UpdateSettingsInput } from "./update-settings.schema";

export const settingsRouter = createTRPCRouter({
  get: publicProcedure.query(({ ctx }) => getSettings({ prisma: ctx.prisma })),
  update: adminProcedure.input(UpdateSettingsInput).mutation(({ ctx, input }) =>
    ctx.prisma.$transaction(async (tx) => {
      const settings = await updateSettings({ tx, patch: input });
      await recordAudit(tx, {
        actorId: ctx.user.id,
        action: "settings.update",
        targetType: "settings",
        data: input,
      });
      return settings;
    }),
  ),
});
