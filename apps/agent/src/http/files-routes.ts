// The listener's `/files/<serverId>/…` routes, once the grant was checked: streamed downloads and
// the tus endpoint for resumable uploads (see ../transfers/). Control operations on files go over
// the agent link; only bulk bytes come here.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import { FileError } from "../files/server-paths";
import { sendDownload } from "../transfers/download";
import type { Uploads, UploadTarget } from "../transfers/uploads";
import type { FilesRoute } from "./files-path";
import { sendRefusal } from "./refusals";

/** A server's folder on this node, who owns what is put there, and its disk quota. */
export type FileRoot = Omit<UploadTarget, "serverId">;

export interface FileServers {
  /** Null when the server is not on this node. */
  fileRoot(serverId: string): Promise<FileRoot | null>;
}

export interface FilesRoutes {
  serve(route: FilesRoute, req: IncomingMessage, res: ServerResponse): Promise<void>;
}

const STATUS_OF: Record<string, number> = {
  BAD_REQUEST: 400,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
};

export function createFilesRoutes({
  servers,
  uploads,
  log,
}: {
  servers: FileServers;
  uploads: Uploads;
  log: Logger;
}): FilesRoutes {
  return {
    async serve(route, req, res) {
      const found = await servers.fileRoot(route.serverId);
      if (!found) {
        sendRefusal(res, {
          status: 404,
          code: "NOT_FOUND",
          message: `Server ${route.serverId} is not on this node`,
        });
        return;
      }
      if (route.kind === "download") {
        if (req.method !== "GET" && req.method !== "HEAD") {
          res.setHeader("allow", "GET, HEAD");
          sendRefusal(res, { status: 405, code: "BAD_REQUEST", message: "Use GET" });
          return;
        }
        try {
          await sendDownload({
            root: found.root,
            userPath: route.path,
            folderName: route.serverId,
            owner: found.owner,
            req,
            res,
            log,
          });
        } catch (error) {
          if (error instanceof FileError && !res.headersSent) {
            sendRefusal(res, {
              status: STATUS_OF[error.code] ?? 500,
              code: error.code,
              message: error.message,
            });
            return;
          }
          // A reader who left mid-stream is no error of ours.
          if (!res.destroyed) log.warn({ err: error, serverId: route.serverId }, "download failed");
          res.destroy();
        }
        return;
      }
      // tus has no GET: the bytes are only readable once in place, through a download.
      if (req.method === "GET") {
        sendRefusal(res, {
          status: 405,
          code: "BAD_REQUEST",
          message: "Download the file instead",
        });
        return;
      }
      await uploads.handle({ serverId: route.serverId, ...found }, req, res);
    },
  };
}
