// The mods of the node's game servers, as the link asks for them: every answer a wire Result,
// no absolute path of the node in any message.
import {
  fail,
  ok,
  type ModActionRequest,
  type ModListing,
  type Result,
  type ServerSpecPayload,
} from "@berth/protocol";
import type { Logger } from "pino";
import { FileError } from "../files/server-paths";
import { applyModAction } from "./mod-actions";
import { listMods } from "./mod-listing";

/** Where a server's files are, or null when the server is not on this node. */
export type LocateServer = (
  serverId: string,
) => { kind: ServerSpecPayload["kind"]; root: string } | null;

export interface ServerMods {
  list(serverId: string): Promise<Result<ModListing>>;
  /** Answers with the listing after the change. */
  action(request: ModActionRequest): Promise<Result<ModListing>>;
}

export function createServerMods({
  locate,
  log,
}: {
  locate: LocateServer;
  log: Logger;
}): ServerMods {
  const gameRoot = (serverId: string): Result<string> => {
    const found = locate(serverId);
    if (!found) return fail("NOT_FOUND", `Server ${serverId} is not on this node`);
    if (found.kind !== "game") return fail("BAD_REQUEST", "Mods are for game servers");
    return ok(found.root);
  };
  // One change at a time per server, so two clicks cannot race on one jar.
  const locks = new Map<string, Promise<unknown>>();
  const locked = async <T>(serverId: string, work: () => Promise<T>): Promise<T> => {
    const previous = locks.get(serverId) ?? Promise.resolve();
    const next = previous.then(work, work);
    const tail = next.catch(() => undefined);
    locks.set(serverId, tail);
    try {
      return await next;
    } finally {
      if (locks.get(serverId) === tail) locks.delete(serverId);
    }
  };

  return {
    async list(serverId) {
      const root = gameRoot(serverId);
      if (!root.ok) return root;
      try {
        return ok(await listMods(root.data));
      } catch (error) {
        return failure(error, "list the mods of", "mods/ and plugins/", log.child({ serverId }));
      }
    },
    async action({ serverId, file, action }) {
      const root = gameRoot(serverId);
      if (!root.ok) return root;
      const serverLog = log.child({ serverId });
      return locked(serverId, async () => {
        try {
          await applyModAction(root.data, file, action);
        } catch (error) {
          return failure(error, action, file, serverLog);
        }
        serverLog.info({ file, action }, "mod changed");
        try {
          return ok(await listMods(root.data));
        } catch (error) {
          return failure(error, "list the mods of", "mods/ and plugins/", serverLog);
        }
      });
    },
  };
}

function failure(error: unknown, doing: string, what: string, log: Logger): Result<never> {
  if (error instanceof FileError) return fail(error.code, error.message);
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === "ENOENT") return fail("NOT_FOUND", `${what} does not exist`);
  if (code === "EACCES" || code === "EPERM" || code === "EROFS") {
    return fail("FORBIDDEN", `The node may not ${doing} ${what}`);
  }
  log.warn({ err: error, doing, what }, "mod operation failed");
  return fail("INTERNAL", `Could not ${doing} ${what}`);
}
