import { createTRPCRouter } from "../../trpc";
import { getMe } from "./get-me";
import { webhookRouter } from "./webhook-router";

export const meRouter = createTRPCRouter({ get: getMe, webhook: webhookRouter });
