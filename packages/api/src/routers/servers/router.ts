import { listCrashes } from "../../services/crashes/list-crashes";
import { createServer } from "../../services/servers/create-server";
import { deleteServer } from "../../services/servers/delete-server";
import { transferServer } from "../../services/servers/transfer-server";
import { codeServerAction } from "../../services/servers/code-server-action";
import { powerServer } from "../../services/servers/power-server";
import { provisionServer } from "../../services/servers/provision-server";
import { listServers } from "../../services/servers/list-servers";
import { updateRestartPolicy } from "../../services/servers/update-restart-policy";
import { updateServerRuntime } from "../../services/servers/update-server-runtime";
import { getServerStats } from "../../services/stats/get-server-stats";
import { adminProcedure, createTRPCRouter, protectedProcedure } from "../../trpc";
import {
  CodeServerActionInput,
  CreateServerInput,
  PowerServerInput,
  ServerIdInput,
  TransferServerInput,
  UpdateRuntimeInput,
} from "./create-server.schema";
import { getServerDetail } from "./get-server";
import { ListCrashesInput } from "./list-crashes.schema";
import { ServerStatsInput } from "./server-stats.schema";
import { UpdateRestartPolicyInput } from "./update-restart-policy.schema";

export const serversRouter = createTRPCRouter({
  list: protectedProcedure.query(({ ctx }) =>
    listServers({ prisma: ctx.prisma, actor: ctx.actor }),
  ),

  get: protectedProcedure
    .input(ServerIdInput)
    .query(({ ctx, input }) =>
      getServerDetail({ prisma: ctx.prisma, actor: ctx.actor, serverId: input.serverId }),
    ),

  create: protectedProcedure.input(CreateServerInput).mutation(async ({ ctx, input }) => {
    const { server, created } = await createServer({
      prisma: ctx.prisma,
      actor: ctx.actor,
      request: input,
    });
    if (created) {
      ctx.log.info({ serverId: server.id, nodeId: server.nodeId }, "server created");
      // Provisioning runs on; its progress reaches the server's room as events.
      void provisionServer({ ...ctx, serverId: server.id }).catch((err: unknown) =>
        ctx.log.error({ err, serverId: server.id }, "provisioning dispatch failed"),
      );
    }
    return { id: server.id, nodeId: server.nodeId, created };
  }),

  power: protectedProcedure
    .input(PowerServerInput)
    .mutation(({ ctx, input }) =>
      powerServer({ ...ctx, serverId: input.serverId, action: input.action }),
    ),

  codeServer: protectedProcedure
    .input(CodeServerActionInput)
    .mutation(({ ctx, input }) =>
      codeServerAction({ ...ctx, serverId: input.serverId, action: input.action }),
    ),

  delete: protectedProcedure.input(ServerIdInput).mutation(async ({ ctx, input }) => {
    await deleteServer({ ...ctx, serverId: input.serverId });
    return { ok: true as const };
  }),

  /** Admin only: gives the server to another user and ends the IDE sessions it had. */
  transfer: adminProcedure
    .input(TransferServerInput)
    .mutation(({ ctx, input }) =>
      transferServer({ prisma: ctx.prisma, actor: ctx.actor, ...input }),
    ),

  crashes: protectedProcedure
    .input(ListCrashesInput)
    .query(({ ctx, input }) => listCrashes({ prisma: ctx.prisma, actor: ctx.actor, ...input })),

  stats: protectedProcedure
    .input(ServerStatsInput)
    .query(({ ctx, input }) => getServerStats({ prisma: ctx.prisma, actor: ctx.actor, ...input })),

  updateRuntime: protectedProcedure.input(UpdateRuntimeInput).mutation(({ ctx, input }) =>
    updateServerRuntime({
      ...ctx,
      serverId: input.serverId,
      runtimeVersionId: input.runtimeVersionId,
    }),
  ),

  updateRestartPolicy: protectedProcedure
    .input(UpdateRestartPolicyInput)
    .mutation(({ ctx, input: { serverId, ...policy } }) =>
      updateRestartPolicy({ ...ctx, serverId, policy }),
    ),
});
