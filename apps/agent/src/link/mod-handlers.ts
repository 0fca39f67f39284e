// The portal's mod commands (game servers' mods/ and plugins/), validated and always answered.
import {
  PortalToAgent,
  fail,
  handle,
  type HandlerLogger,
  type HandlerSocket,
} from "@berth/protocol";
import type { ServerMods } from "../mods/server-mods";

export function registerModHandlers(
  socket: HandlerSocket,
  {
    mods,
    log,
  }: {
    /** The node's servers' mods; absent when this agent runs no servers. */
    mods?: () => Promise<ServerMods>;
    log: HandlerLogger;
  },
): void {
  const withMods = async <T>(use: (mods: ServerMods) => Promise<T>) => {
    if (!mods) return fail("INTERNAL", "This agent does not run servers");
    let found: ServerMods;
    try {
      found = await mods();
    } catch (err) {
      return fail("INTERNAL", `This agent cannot run servers: ${(err as Error).message}`);
    }
    return use(found);
  };
  handle(
    socket,
    PortalToAgent,
    "mods:list",
    ({ serverId }) => withMods((all) => all.list(serverId)),
    log,
  );
  handle(
    socket,
    PortalToAgent,
    "mods:action",
    (request) => withMods((all) => all.action(request)),
    log,
  );
}
