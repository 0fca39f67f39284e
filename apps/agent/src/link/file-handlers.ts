// The portal's file commands (one server's data folder), validated and always answered.
import {
  PortalToAgent,
  fail,
  handle,
  ok,
  type FileOperation,
  type FileResult,
  type HandlerLogger,
  type HandlerSocket,
  type Result,
} from "@berth/protocol";
import type { FileRoot } from "../files/file-root";
import { runFileOperation } from "../files/run-file-operation";
import { FileError } from "../files/server-paths";
import { withPart } from "./with-part";

/** What the link asks of the node's servers for files. */
export interface LinkFiles {
  /** The server's folder and owner, or null when the server is not on this node. */
  root(serverId: string): FileRoot | null;
  /** Runs an operation (as the folder's owner where it can); in this process by default. */
  run?(where: FileRoot, operation: FileOperation): Promise<FileResult>;
}

export function registerFileHandlers(
  socket: HandlerSocket,
  {
    files,
    log,
  }: {
    /** The node's servers' folders; absent when this agent runs no servers. */
    files?: () => Promise<LinkFiles>;
    log: HandlerLogger;
  },
): void {
  handle(
    socket,
    PortalToAgent,
    "files:op",
    ({ serverId, operation }) =>
      withPart(files, async (found): Promise<Result<FileResult>> => {
        const where = found.root(serverId);
        if (!where) return fail("NOT_FOUND", `Server ${serverId} is not on this node`);
        try {
          return ok(await (found.run ?? runFileOperation)(where, operation));
        } catch (err) {
          if (err instanceof FileError) {
            if (err.code === "INTERNAL")
              log.warn({ serverId, op: operation.op, err }, "file operation failed");
            return fail(err.code, err.message);
          }
          log.error({ serverId, op: operation.op, err }, "file operation failed");
          return fail("INTERNAL", `The ${operation.op} failed on the node`);
        }
      }),
    log,
  );
}
