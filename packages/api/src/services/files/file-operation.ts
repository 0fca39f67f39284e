import type { PrismaClient } from "@berth/db";
import type { FileOperation, FileResult } from "@berth/protocol";
import { AppError } from "../../lib/app-error";
import type { AgentCommands } from "../../lib/runtime";
import type { Actor } from "../actor";
import { loadServerFor } from "../servers/server-access";

/**
 * Owner or admin, any kind of server: one operation on the server's data folder, done by its node.
 * The node confines every path to the folder and answers refusals with a short message, passed on
 * as it is (NODE_OFFLINE and NODE_TIMEOUT when the node cannot answer).
 */
export async function fileOperation<K extends FileResult["kind"]>({
  prisma,
  agents,
  actor,
  serverId,
  operation,
  expect,
}: {
  prisma: PrismaClient;
  agents: AgentCommands;
  actor: Actor;
  serverId: string;
  operation: FileOperation;
  /** The kind of answer this operation gives. */
  expect: K;
}): Promise<Extract<FileResult, { kind: K }>> {
  const server = await loadServerFor({ prisma, actor, serverId });
  const result = await agents.files(server.nodeId, { serverId: server.id, operation });
  if (!result.ok) throw new AppError(result.error.code, result.error.message);
  if (result.data.kind !== expect) {
    throw new AppError(
      "INTERNAL",
      `The node answered the ${operation.op} with a ${result.data.kind}.`,
    );
  }
  return result.data as Extract<FileResult, { kind: K }>;
}
