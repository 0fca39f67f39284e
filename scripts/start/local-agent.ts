import { existsSync, readFileSync } from "node:fs";
import type { PrismaClient } from "@berth/db";
import { createNode, issueEnrollmentToken, systemActor } from "@berth/api/services";

export const LOCAL_NODE_NAME = "local";

/**
 * Decides whether the local agent needs a (new) enrollment: when it has no config yet, or its node
 * was deleted or revoked. Returns a one-time token, or null when the stored credential still holds.
 */
export async function localEnrollmentToken({
  prisma,
  configFile,
  publicUrl,
}: {
  prisma: PrismaClient;
  configFile: string;
  publicUrl: string;
}): Promise<string | null> {
  if (existsSync(configFile)) {
    const { nodeId } = JSON.parse(readFileSync(configFile, "utf8")) as { nodeId?: string };
    const node = nodeId ? await prisma.node.findUnique({ where: { id: nodeId } }) : null;
    if (node && !node.revokedAt) return null;
  }
  const existing = await prisma.node.findUnique({ where: { name: LOCAL_NODE_NAME } });
  if (existing && !existing.revokedAt) {
    return (await issueEnrollmentToken({ prisma, nodeId: existing.id })).token;
  }
  const name = existing ? `${LOCAL_NODE_NAME}-${Date.now().toString(36)}` : LOCAL_NODE_NAME;
  return (await createNode({ prisma, name, actor: systemActor, publicUrl })).enrollmentToken;
}
