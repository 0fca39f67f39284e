// Portal ↔ portal messages for consoles, over the adapter's server-side events (Redis). They stay
// inside the deployment, so they are not part of the protocol package; they are validated anyway.
import { z } from "zod";
import { ConsoleOutput, ConsoleRef } from "@berth/protocol";
import type { ConsolePeers, ConsoleRelays } from "./console-relays";

const Watched = z
  .array(z.object({ nodeId: z.string().min(1).max(64), ref: ConsoleRef }))
  .max(10_000);
const Forwarded = z.object({ nodeId: z.string().min(1).max(64), output: ConsoleOutput });
const Linked = z.object({ nodeId: z.string().min(1).max(64) });

interface ServerSideEmitter {
  serverSideEmit(event: string, ...args: unknown[]): unknown;
  on(event: string, listener: (...args: unknown[]) => void): unknown;
}

interface PeerLog {
  warn(obj: object, msg: string): void;
}

export function createConsolePeers(namespace: ServerSideEmitter): ConsolePeers {
  return {
    announce: (watched) => void namespace.serverSideEmit("console:watch", watched),
    forward: (nodeId, output) =>
      void namespace.serverSideEmit("console:forward", { nodeId, output }),
    linked: (nodeId) => void namespace.serverSideEmit("console:linked", { nodeId }),
  };
}

export function listenToConsolePeers(
  namespace: ServerSideEmitter,
  relays: ConsoleRelays,
  log: PeerLog,
): void {
  const on = <T>(event: string, schema: z.ZodType<T>, apply: (message: T) => void) =>
    namespace.on(event, (message: unknown) => {
      const parsed = schema.safeParse(message);
      if (parsed.success) apply(parsed.data);
      else log.warn({ event }, "malformed message from another portal");
    });
  on("console:watch", Watched, (watched) => relays.peerAnnounced(watched));
  on("console:forward", Forwarded, ({ nodeId, output }) => relays.peerOutput(nodeId, output));
  on("console:linked", Linked, ({ nodeId }) => void relays.peerLinked(nodeId));
}
