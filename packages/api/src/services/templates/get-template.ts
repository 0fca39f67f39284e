import type { PrismaClient } from "@berth/db";
import { AppError } from "../../lib/app-error";

export async function getTemplate({
  prisma,
  templateId,
}: {
  prisma: PrismaClient;
  templateId: string;
}) {
  const template = await prisma.template.findUnique({ where: { id: templateId } });
  if (!template) throw new AppError("NOT_FOUND", "No such template.");
  return template;
}
