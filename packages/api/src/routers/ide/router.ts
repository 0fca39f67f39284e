import { createIdeToken } from "../../services/ide/create-ide-token";
import { signOutIdeSessions } from "../../services/ide/sign-out-ide-sessions";
import { createTRPCRouter, protectedProcedure } from "../../trpc";
import { IdeServerInput } from "./ide.schema";

export const ideRouter = createTRPCRouter({
  /** A one-time link to the dev server's code-server, opened in a new tab. */
  createToken: protectedProcedure.input(IdeServerInput).mutation(({ ctx, input }) =>
    createIdeToken({
      prisma: ctx.prisma,
      ide: ctx.ide,
      actor: ctx.actor,
      serverId: input.serverId,
    }),
  ),

  signOutSessions: protectedProcedure
    .input(IdeServerInput)
    .mutation(({ ctx, input }) =>
      signOutIdeSessions({ prisma: ctx.prisma, actor: ctx.actor, serverId: input.serverId }),
    ),
});
