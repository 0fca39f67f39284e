import { signUp } from "../../services/users/sign-up";
import { publicProcedure } from "../../trpc";
import { SignUpInput } from "./sign-up.schema";

export const signUpProcedure = publicProcedure
  .input(SignUpInput)
  .mutation(async ({ ctx, input }) => {
    const user = await signUp({ prisma: ctx.prisma, ...input });
    ctx.log.info({ userId: user.id }, "user signed up");
    return { id: user.id };
  });
