import type { PrismaClient, Prisma } from "@berth/db";
import { AppError } from "../../lib/app-error";
import { hashPassword } from "../../lib/passwords";
import type { Role } from "../actor";

export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

export interface CreatedUser {
  id: string;
  email: string;
  name: string | null;
  role: Role;
}

export async function createUser({
  db,
  email,
  password,
  name,
  role,
}: {
  db: PrismaClient | Prisma.TransactionClient;
  email: string;
  password: string;
  name?: string | null;
  role: Role;
}): Promise<CreatedUser> {
  const normalized = normalizeEmail(email);
  const existing = await db.user.findUnique({ where: { email: normalized }, select: { id: true } });
  if (existing) throw new AppError("CONFLICT", "An account with this email already exists.");
  const passwordHash = await hashPassword(password);
  return db.user.create({
    data: { email: normalized, name: name ?? null, passwordHash, role },
    select: { id: true, email: true, name: true, role: true },
  });
}
