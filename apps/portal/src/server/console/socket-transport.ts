// A browser socket as a feed's transport. "Drained" is read from the engine.io connection under the
// Socket.IO socket: its write buffer holds packets the transport could not take yet (a websocket
// still writing the previous flush, a polling client that has not asked again), and it emits
// "drain" each time it hands that buffer to the transport. So at most the batch being written and
// one more wait per socket, and the rest of a slow browser's output waits in its bounded feeds.
import type { ConsoleOutput } from "@berth/protocol";
import type { ViewerTransport } from "./console-feed";

interface EngineConnection {
  /** Not in engine.io's public typings, but it is what `drain` refers to. */
  writeBuffer: unknown[];
  once(event: "drain", listener: () => void): unknown;
}

interface BrowserSocketLike {
  id: string;
  conn: unknown;
  emit(event: "console:data", batch: ConsoleOutput): unknown;
  join(room: string): unknown;
  leave(room: string): unknown;
}

export function socketTransport(socket: BrowserSocketLike): ViewerTransport {
  const conn = socket.conn as EngineConnection;
  const waiting = new Set<() => void>();
  let listening = false;
  const onDrain = () => {
    listening = false;
    const listeners = [...waiting];
    waiting.clear();
    for (const listener of listeners) listener();
  };
  return {
    id: socket.id,
    drained: () => conn.writeBuffer.length === 0,
    whenDrained(listener) {
      waiting.add(listener);
      // One engine listener per socket, however many consoles wait on it.
      if (!listening) {
        listening = true;
        conn.once("drain", onDrain);
      }
    },
    send: (batch) => void socket.emit("console:data", batch),
    joinRoom: (room) => void socket.join(room),
    leaveRoom: (room) => void socket.leave(room),
  };
}
