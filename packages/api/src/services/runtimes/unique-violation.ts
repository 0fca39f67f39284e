import { Prisma } from "@berth/db";

/** A unique constraint refused the write (two admins racing past the same check). */
export const isUniqueViolation = (err: unknown): boolean =>
  err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002";
