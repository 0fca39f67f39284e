import type { PrismaClient } from "@berth/db";
import { AppError } from "../../lib/app-error";
import { decoyPasswordHash, verifyPassword } from "../../lib/passwords";
import type { Role } from "../actor";
import { normalizeEmail } from "./create-user";

export const LOGIN_FAILURE_LIMIT = 10;
export const LOGIN_FAILURE_WINDOW_MS = 60_000;

export interface AuthenticatedUser {
  id: string;
  email: string;
  name: string | null;
  role: Role;
}

/**
 * Checks a password login. Failures are counted per account + address in Postgres, so the limit
 * holds across several portal processes; the 11th failure within a minute is refused before the
 * password is even looked at.
 */
export async function authenticateUser({
  prisma,
  email,
  password,
  ip,
  now = new Date(),
}: {
  prisma: PrismaClient;
  email: string;
  password: string;
  ip: string;
  now?: Date;
}): Promise<AuthenticatedUser> {
  const normalized = normalizeEmail(email);
  const windowStart = new Date(now.getTime() - LOGIN_FAILURE_WINDOW_MS);
  const recentFailures = await prisma.loginFailure.findMany({
    where: { email: normalized, ip, createdAt: { gt: windowStart } },
    orderBy: { createdAt: "asc" },
    select: { createdAt: true },
  });
  if (recentFailures.length >= LOGIN_FAILURE_LIMIT) {
    const oldest = recentFailures[recentFailures.length - LOGIN_FAILURE_LIMIT]!.createdAt;
    const retryInS = Math.max(
      1,
      Math.ceil((oldest.getTime() + LOGIN_FAILURE_WINDOW_MS - now.getTime()) / 1000),
    );
    throw new AppError("TOO_MANY_REQUESTS", `Too many failed logins. Try again in ${retryInS} s.`);
  }

  const user = await prisma.user.findUnique({ where: { email: normalized } });
  const passwordOk = await verifyPassword(
    user?.passwordHash ?? (await decoyPasswordHash()),
    password,
  );
  if (!user || !passwordOk) {
    await prisma.$transaction([
      prisma.loginFailure.create({ data: { email: normalized, ip, createdAt: now } }),
      prisma.loginFailure.deleteMany({
        where: { createdAt: { lt: new Date(now.getTime() - 24 * 3600_000) } },
      }),
    ]);
    throw new AppError("UNAUTHORIZED", "Wrong email or password.");
  }
  if (user.disabledAt) throw new AppError("FORBIDDEN", "This account is disabled.");
  await prisma.loginFailure.deleteMany({ where: { email: normalized, ip } });
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}
