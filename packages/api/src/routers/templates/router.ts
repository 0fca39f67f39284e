import { createTRPCRouter, protectedProcedure } from "../../trpc";

export const templatesRouter = createTRPCRouter({
  list: protectedProcedure.query(({ ctx }) =>
    ctx.prisma.template.findMany({
      select: { id: true, slug: true, name: true, description: true, image: true },
      orderBy: { name: "asc" },
    }),
  ),
});
