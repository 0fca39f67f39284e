// The portal's console and terminal commands, each validated and always answered through handle().
import {
  GAP_NOTICE,
  PortalToAgent,
  handle,
  ok,
  type ConsoleFrame,
  type ConsoleInput,
  type ConsoleRef,
  type ConsoleResize,
  type HandlerLogger,
  type HandlerSocket,
  type Result,
  type ServerTerminals,
  type TerminalCreate,
  type TerminalInfo,
} from "@berth/protocol";
import type { ConsoleChannel } from "../console/console-channel";
import type { ConsoleWatchers } from "./console-watchers";
import { withPart } from "./with-part";

/** What the link asks of the node's consoles; every answer is already a wire Result. */
export interface LinkConsoles {
  channel(ref: ConsoleRef): Result<ConsoleChannel>;
  input(input: ConsoleInput): Result<Record<string, never>>;
  resize(resize: ConsoleResize): void;
  terminals: {
    list(serverId: string): Result<ServerTerminals>;
    create(request: TerminalCreate): Promise<Result<TerminalInfo>>;
    rename(request: { serverId: string; terminalId: string; title: string }): Result<TerminalInfo>;
    close(ref: { serverId: string; terminalId: string }): Promise<Result<{ closed: boolean }>>;
  };
}

/** console:open's replay carries at most this many frames. */
const MAX_REPLAY_FRAMES = 1024;

export function registerConsoleHandlers(
  socket: HandlerSocket,
  {
    consoles,
    watchers,
    log,
  }: {
    /** The node's consoles; absent when this agent runs no servers. */
    consoles?: () => Promise<LinkConsoles>;
    watchers: ConsoleWatchers;
    log: HandlerLogger;
  },
): void {
  const withConsoles = <T>(use: (consoles: LinkConsoles) => Result<T> | Promise<Result<T>>) =>
    withPart(consoles, use);

  handle(
    socket,
    PortalToAgent,
    "console:open",
    ({ serverId, terminalId, runId, resumeFromSeq }) =>
      withConsoles((all) => {
        const ref = { serverId, terminalId };
        const found = all.channel(ref);
        if (!found.ok) return found;
        const channel = found.data;
        // An offset means something only within the run it was counted in.
        const from = runId === channel.runId && resumeFromSeq !== null ? resumeFromSeq : undefined;
        const { frames, toSeq } = channel.hub.replay(from);
        watchers.watch(ref, channel, toSeq);
        return ok({ runId: channel.runId, frames: capReplay(frames), toSeq });
      }),
    log,
  );
  handle(
    socket,
    PortalToAgent,
    "console:close",
    ({ serverId, terminalId }) => watchers.unwatch({ serverId, terminalId }),
    log,
  );
  handle(
    socket,
    PortalToAgent,
    "console:input",
    (input) => withConsoles((all) => all.input(input)),
    log,
  );
  handle(
    socket,
    PortalToAgent,
    "console:resize",
    async (resize) => {
      await withConsoles((all) => {
        all.resize(resize);
        return ok({});
      });
    },
    log,
  );
  handle(
    socket,
    PortalToAgent,
    "terminal:list",
    ({ serverId }) => withConsoles((all) => all.terminals.list(serverId)),
    log,
  );
  handle(
    socket,
    PortalToAgent,
    "terminal:create",
    (request) => withConsoles((all) => all.terminals.create(request)),
    log,
  );
  handle(
    socket,
    PortalToAgent,
    "terminal:rename",
    (request) => withConsoles((all) => all.terminals.rename(request)),
    log,
  );
  handle(
    socket,
    PortalToAgent,
    "terminal:close",
    (ref) => withConsoles((all) => all.terminals.close(ref)),
    log,
  );
}

/** Keeps the newest frames, telling of the rest with a gap frame. */
function capReplay(frames: ConsoleFrame[]): ConsoleFrame[] {
  if (frames.length <= MAX_REPLAY_FRAMES) return frames;
  const kept = frames.slice(frames.length - (MAX_REPLAY_FRAMES - 1));
  const gap: ConsoleFrame = {
    kind: "gap",
    fromSeq: frames[0]!.fromSeq,
    toSeq: kept[0]!.fromSeq,
    data: GAP_NOTICE,
  };
  return [gap, ...kept];
}
