import { protectedProcedure } from "../../trpc";

export const getMe = protectedProcedure.query(({ ctx }) => ({
  id: ctx.user.id,
  email: ctx.user.email,
  name: ctx.user.name,
  role: ctx.user.role,
}));
