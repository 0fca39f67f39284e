import { createNode } from "../../services/nodes/create-node";
import { listNodes } from "../../services/nodes/list-nodes";
import { revokeNode } from "../../services/nodes/revoke-node";
import { adminProcedure, createTRPCRouter } from "../../trpc";
import { CreateNodeInput, RevokeNodeInput } from "./create-node.schema";

export const nodesRouter = createTRPCRouter({
  list: adminProcedure.query(({ ctx }) => listNodes({ prisma: ctx.prisma })),

  create: adminProcedure.input(CreateNodeInput).mutation(async ({ ctx, input }) => {
    const created = await createNode({
      prisma: ctx.prisma,
      name: input.name,
      actor: ctx.actor,
      publicUrl: ctx.publicUrl,
    });
    ctx.events.nodeChanged(created.node.id);
    return created;
  }),

  revoke: adminProcedure.input(RevokeNodeInput).mutation(async ({ ctx, input }) => {
    await revokeNode({ prisma: ctx.prisma, nodeId: input.nodeId, actor: ctx.actor });
    ctx.events.nodeRevoked(input.nodeId);
    return { ok: true as const };
  }),
});
