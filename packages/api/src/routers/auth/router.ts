import { createTRPCRouter } from "../../trpc";
import { signUpProcedure } from "./sign-up";

export const authRouter = createTRPCRouter({ signUp: signUpProcedure });
