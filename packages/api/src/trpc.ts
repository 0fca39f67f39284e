import { initTRPC, TRPCError } from "@trpc/server";
import type { TRPC_ERROR_CODE_KEY } from "@trpc/server/rpc";
import { randomUUID } from "node:crypto";
import superjson from "superjson";
import { ZodError } from "zod";
import type { ErrorCode } from "@berth/protocol";
import { isAppError } from "./lib/app-error";
import type { ApiRuntime } from "./lib/runtime";
import type { Actor, Role } from "./services/actor";

export interface SessionUser {
  id: string;
  email: string;
  name: string | null;
  role: Role;
}

export interface CreateContextOptions {
  runtime: ApiRuntime;
  /** The next-auth session's user, or null when signed out. */
  sessionUser: SessionUser | null;
  /** The caller's address, for rate limits and audit. */
  ip: string;
}

export function createTRPCContext(opts: CreateContextOptions) {
  return {
    ...opts.runtime,
    sessionUser: opts.sessionUser,
    ip: opts.ip,
    log: opts.runtime.log.child({ requestId: randomUUID(), userId: opts.sessionUser?.id }),
  };
}
export type TRPCContext = ReturnType<typeof createTRPCContext>;

/** Who may call a procedure; the authorization test walks the router by this. */
export interface ProcedureMeta {
  access: "public" | "protected" | "admin";
}

const trpcCodeFor: Record<ErrorCode, TRPC_ERROR_CODE_KEY> = {
  BAD_REQUEST: "BAD_REQUEST",
  UNAUTHORIZED: "UNAUTHORIZED",
  FORBIDDEN: "FORBIDDEN",
  NOT_FOUND: "NOT_FOUND",
  CONFLICT: "CONFLICT",
  TOO_MANY_REQUESTS: "TOO_MANY_REQUESTS",
  PROTOCOL_MISMATCH: "BAD_REQUEST",
  NODE_OFFLINE: "SERVICE_UNAVAILABLE",
  NODE_TIMEOUT: "TIMEOUT",
  INTERNAL: "INTERNAL_SERVER_ERROR",
};

function describeZodError(error: ZodError): string {
  const issue = error.issues[0];
  if (!issue) return "Invalid input.";
  const field = issue.path.join(".");
  return field ? `${field}: ${issue.message}` : issue.message;
}

const t = initTRPC
  .context<TRPCContext>()
  .meta<ProcedureMeta>()
  .create({
    transformer: superjson,
    errorFormatter({ shape, error }) {
      const appCode = isAppError(error.cause) ? error.cause.code : undefined;
      return {
        ...shape,
        // Never a stack on the wire: the user sees the message, operators read the log.
        data: {
          code: shape.data.code,
          httpStatus: shape.data.httpStatus,
          path: shape.data.path,
          appCode,
        },
      };
    },
  });

/**
 * Turns AppErrors into their tRPC codes, input errors into "field: message", and hides anything
 * unexpected behind an error id.
 */
const errorBoundary = t.middleware(async ({ ctx, next, path }) => {
  const result = await next();
  if (result.ok) return result;
  const err = result.error;
  const cause = err.cause;
  if (isAppError(cause)) {
    throw new TRPCError({ code: trpcCodeFor[cause.code], message: cause.message, cause });
  }
  if (cause instanceof ZodError) {
    throw new TRPCError({ code: "BAD_REQUEST", message: describeZodError(cause), cause });
  }
  if (err.code === "INTERNAL_SERVER_ERROR") {
    const errorId = randomUUID().slice(0, 8);
    ctx.log.error({ err: cause ?? err, path, errorId }, "procedure failed");
    throw new TRPCError({
      code: "INTERNAL_SERVER_ERROR",
      message: `Something went wrong (error id ${errorId}).`,
    });
  }
  return result;
});

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

export const publicProcedure = t.procedure.meta({ access: "public" }).use(errorBoundary);

/** Re-reads the user on every call, so a disabled account or a changed role takes effect at once. */
export const protectedProcedure = t.procedure
  .meta({ access: "protected" })
  .use(errorBoundary)
  .use(async ({ ctx, next }) => {
    if (!ctx.sessionUser) throw new TRPCError({ code: "UNAUTHORIZED", message: "Please sign in." });
    const user = await ctx.prisma.user.findUnique({
      where: { id: ctx.sessionUser.id },
      select: { id: true, email: true, name: true, role: true, disabledAt: true },
    });
    if (!user || user.disabledAt) {
      throw new TRPCError({ code: "UNAUTHORIZED", message: "Your session is no longer valid." });
    }
    const actor: Actor & { kind: "user" } = { kind: "user", id: user.id, role: user.role };
    return next({ ctx: { ...ctx, user, actor } });
  });

export const adminProcedure = protectedProcedure.meta({ access: "admin" }).use(({ ctx, next }) => {
  if (ctx.user.role !== "admin") {
    throw new TRPCError({ code: "FORBIDDEN", message: "Only administrators can do this." });
  }
  return next();
});
