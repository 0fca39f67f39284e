import { clearWebhook } from "../../services/webhooks/clear-webhook";
import { getWebhook } from "../../services/webhooks/get-webhook";
import { rotateWebhookSecret } from "../../services/webhooks/rotate-webhook-secret";
import { setWebhook } from "../../services/webhooks/set-webhook";
import { testWebhook } from "../../services/webhooks/test-webhook";
import { createTRPCRouter, protectedProcedure } from "../../trpc";
import { SetWebhookInput } from "./webhook.schema";

/** The signed-in user's crash webhook; a secret is returned only when it is made. */
export const webhookRouter = createTRPCRouter({
  get: protectedProcedure.query(({ ctx }) =>
    getWebhook({ prisma: ctx.prisma, userId: ctx.user.id }),
  ),

  set: protectedProcedure
    .input(SetWebhookInput)
    .mutation(({ ctx, input }) => setWebhook({ ...ctx, userId: ctx.user.id, url: input.url })),

  clear: protectedProcedure.mutation(async ({ ctx }) => {
    await clearWebhook({ prisma: ctx.prisma, userId: ctx.user.id });
    return { ok: true as const };
  }),

  rotateSecret: protectedProcedure.mutation(({ ctx }) =>
    rotateWebhookSecret({ ...ctx, userId: ctx.user.id }),
  ),

  test: protectedProcedure.mutation(({ ctx }) => testWebhook({ ...ctx, userId: ctx.user.id })),
});
