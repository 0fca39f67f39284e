import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import { authRouter } from "./routers/auth/router";
import { filesRouter } from "./routers/files/router";
import { ideRouter } from "./routers/ide/router";
import { meRouter } from "./routers/me/router";
import { modsRouter } from "./routers/mods/router";
import { nodesRouter } from "./routers/nodes/router";
import { runtimesRouter } from "./routers/runtimes/router";
import { serversRouter } from "./routers/servers/router";
import { settingsRouter } from "./routers/settings/router";
import { templatesRouter } from "./routers/templates/router";
import { createCallerFactory, createTRPCRouter } from "./trpc";

export const appRouter = createTRPCRouter({
  me: meRouter,
  auth: authRouter,
  settings: settingsRouter,
  nodes: nodesRouter,
  servers: serversRouter,
  templates: templatesRouter,
  runtimes: runtimesRouter,
  ide: ideRouter,
  files: filesRouter,
  mods: modsRouter,
});

export type AppRouter = typeof appRouter;
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
export const createCaller = createCallerFactory(appRouter);
