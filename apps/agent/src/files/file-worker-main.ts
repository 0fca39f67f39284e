// A child process running as a server's user (uid:gid given at spawn): it does file operations
// for the agent over IPC. Whatever a race inside the server's folder makes a path resolve to, the
// kernel lets this process do only what the server's own user may do.
import type { FileOperation } from "@berth/protocol";
import type { FileRoot } from "./file-root";
import { runFileOperation } from "./run-file-operation";
import { FileError } from "./server-paths";

export interface WorkerRequest {
  id: number;
  where: Pick<FileRoot, "root" | "scratch">;
  operation: FileOperation;
}

export type WorkerReply =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; code: FileError["code"]; message: string };

process.on("message", (request: WorkerRequest) => {
  void (async () => {
    let reply: WorkerReply;
    try {
      // Files made here already belong to this user: nothing to hand over.
      const result = await runFileOperation({ ...request.where, owner: null }, request.operation);
      reply = { id: request.id, ok: true, result };
    } catch (error) {
      reply =
        error instanceof FileError
          ? { id: request.id, ok: false, code: error.code, message: error.message }
          : {
              id: request.id,
              ok: false,
              code: "INTERNAL",
              message: `The ${request.operation.op} failed on the node`,
            };
    }
    process.send?.(reply);
  })();
});
process.on("disconnect", () => process.exit(0));
