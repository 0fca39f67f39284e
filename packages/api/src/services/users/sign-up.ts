import type { PrismaClient } from "@berth/db";
import { AppError } from "../../lib/app-error";
import { recordAudit } from "../audit";
import { getSettings } from "../settings/settings";
import { createUser, type CreatedUser } from "./create-user";

export async function signUp({
  prisma,
  email,
  password,
  name,
}: {
  prisma: PrismaClient;
  email: string;
  password: string;
  name: string;
}): Promise<CreatedUser> {
  const settings = await getSettings({ prisma });
  if (!settings.signupEnabled) {
    throw new AppError("FORBIDDEN", "Sign-up is turned off. Ask an administrator for an account.");
  }
  return prisma.$transaction(async (tx) => {
    const user = await createUser({ db: tx, email, password, name, role: "user" });
    await recordAudit(tx, {
      actorId: user.id,
      action: "user.sign_up",
      targetType: "user",
      targetId: user.id,
    });
    return user;
  });
}
