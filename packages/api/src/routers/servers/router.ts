import { listServers } from "../../services/servers/list-servers";
import { createTRPCRouter, protectedProcedure } from "../../trpc";

export const serversRouter = createTRPCRouter({
  list: protectedProcedure.query(({ ctx }) =>
    listServers({ prisma: ctx.prisma, actor: ctx.actor }),
  ),
});
