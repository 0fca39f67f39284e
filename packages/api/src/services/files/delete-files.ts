import type { PrismaClient } from "@berth/db";
import { AppError } from "../../lib/app-error";
import type { AgentCommands } from "../../lib/runtime";
import { actorUserId, type Actor } from "../actor";
import { recordAudit } from "../audit";
import { fileOperation } from "./file-operation";

/** Owner or admin: deletes files and folders of a server's data folder; audited once done. */
export async function deleteFiles(options: {
  prisma: PrismaClient;
  agents: AgentCommands;
  actor: Actor;
  serverId: string;
  paths: string[];
}): Promise<{ deleted: number }> {
  await fileOperation({
    ...options,
    operation: { op: "delete", paths: options.paths },
    expect: "done",
  });
  await options.prisma
    .$transaction((tx) =>
      recordAudit(tx, {
        actorId: actorUserId(options.actor),
        action: "server.files.delete",
        targetType: "server",
        targetId: options.serverId,
        data: { paths: options.paths.slice(0, 50), count: options.paths.length },
      }),
    )
    .catch((cause: unknown) => {
      // The files are gone either way; the caller must not think they are not.
      throw new AppError("INTERNAL", "Deleted, but the audit log could not be written.", { cause });
    });
  return { deleted: options.paths.length };
}
