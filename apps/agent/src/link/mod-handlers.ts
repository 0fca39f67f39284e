// The portal's mod commands (game servers' mods/ and plugins/), validated and always answered.
import { PortalToAgent, handle, type HandlerLogger, type HandlerSocket } from "@berth/protocol";
import type { ServerMods } from "../mods/server-mods";
import { withPart } from "./with-part";

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
  handle(
    socket,
    PortalToAgent,
    "mods:list",
    ({ serverId }) => withPart(mods, (all) => all.list(serverId)),
    log,
  );
  handle(
    socket,
    PortalToAgent,
    "mods:action",
    (request) => withPart(mods, (all) => all.action(request)),
    log,
  );
}
