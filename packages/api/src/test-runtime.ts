import pino from "pino";
import type { PrismaClient } from "@berth/db";
import type { ApiRuntime } from "./lib/runtime";
import { createCaller } from "./root";
import { createTRPCContext, type SessionUser } from "./trpc";

/** A runtime for tests: real Prisma, silent log, and events recorded instead of broadcast. */
export function testRuntime(prisma: PrismaClient) {
  const events: Array<{ kind: "changed" | "revoked"; nodeId: string }> = [];
  const runtime: ApiRuntime = {
    prisma,
    log: pino({ level: "silent" }),
    publicUrl: "http://portal.test",
    events: {
      nodeChanged: (nodeId) => events.push({ kind: "changed", nodeId }),
      nodeRevoked: (nodeId) => events.push({ kind: "revoked", nodeId }),
    },
  };
  const callerFor = (sessionUser: SessionUser | null, ip = "10.0.0.1") =>
    createCaller(createTRPCContext({ runtime, sessionUser, ip }));
  return { runtime, events, callerFor };
}
