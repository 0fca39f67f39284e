// Safe to import from Next.js server code: no embedded Postgres, no CLI, no schema engine here.
export { createPrismaClient, type CreatePrismaClientOptions } from "./client";
export { Prisma, NodeStatus, Role, ServerKind } from "./generated/prisma/client";
export type {
  AuditLog,
  CrashEvent,
  EnrollmentToken,
  IdeToken,
  LoginFailure,
  Node,
  PrismaClient,
  Runtime,
  RuntimeVersion,
  Server,
  ServerStat,
  Setting,
  Template,
  User,
} from "./generated/prisma/client";
