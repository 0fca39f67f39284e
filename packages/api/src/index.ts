export {
  appRouter,
  createCaller,
  type AppRouter,
  type RouterInputs,
  type RouterOutputs,
} from "./root";
export { createTRPCContext, type SessionUser, type ProcedureMeta } from "./trpc";
export type { AgentCommands, ApiRuntime, NodeEvents, ServerEvents } from "./lib/runtime";
export type { NodeGrants } from "./lib/node-grants";
