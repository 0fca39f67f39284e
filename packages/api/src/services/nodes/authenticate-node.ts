import type { Node, PrismaClient } from "@berth/db";
import { AppError } from "../../lib/app-error";
import { secretMatchesHash } from "../../lib/secrets";

/** Checks an agent's handshake credential; the error message tells the agent's operator why. */
export async function authenticateNode({
  prisma,
  nodeId,
  credential,
}: {
  prisma: PrismaClient;
  nodeId: string;
  credential: string;
}): Promise<Node> {
  const node = await prisma.node.findUnique({ where: { id: nodeId } });
  if (!node) throw new AppError("UNAUTHORIZED", "Unknown node: enroll this agent again.");
  if (node.revokedAt)
    throw new AppError("FORBIDDEN", "This node has been revoked by an administrator.");
  if (!node.credentialHash || !secretMatchesHash(credential, node.credentialHash)) {
    throw new AppError("UNAUTHORIZED", "Wrong node credential: enroll this agent again.");
  }
  return node;
}
