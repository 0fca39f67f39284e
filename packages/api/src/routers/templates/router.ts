import { getTemplate } from "../../services/templates/get-template";
import { updateTemplateSupervision } from "../../services/templates/update-template-supervision";
import { adminProcedure, createTRPCRouter, protectedProcedure } from "../../trpc";
import { TemplateIdInput, UpdateTemplateInput } from "./update-template.schema";

export const templatesRouter = createTRPCRouter({
  list: protectedProcedure.query(({ ctx }) =>
    ctx.prisma.template.findMany({
      select: { id: true, slug: true, name: true, description: true, image: true },
      orderBy: { name: "asc" },
    }),
  ),

  /** Everything about one template, for admins editing it. */
  get: adminProcedure
    .input(TemplateIdInput)
    .query(({ ctx, input }) => getTemplate({ prisma: ctx.prisma, templateId: input.templateId })),

  /** Admins: the template's crash rules and liveness check (other fields are not editable yet). */
  update: adminProcedure
    .input(UpdateTemplateInput)
    .mutation(({ ctx, input: { templateId, crashRules, liveness } }) =>
      updateTemplateSupervision({
        prisma: ctx.prisma,
        actor: ctx.actor,
        templateId,
        crashRules,
        liveness,
      }),
    ),
});
