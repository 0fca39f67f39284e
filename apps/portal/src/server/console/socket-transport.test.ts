import { EventEmitter } from "node:events";
import { describe, expect, it, vi } from "vitest";
import { socketTransport } from "./socket-transport";

function fakeSocket() {
  const conn = Object.assign(new EventEmitter(), { writeBuffer: [] as unknown[] });
  const socket = {
    id: "sock1",
    conn,
    emitted: [] as unknown[],
    rooms: new Set<string>(),
    emit(_event: "console:data", batch: unknown) {
      this.emitted.push(batch);
    },
    join(room: string) {
      this.rooms.add(room);
    },
    leave(room: string) {
      this.rooms.delete(room);
    },
  };
  return { socket, conn };
}

describe("socketTransport", () => {
  it("is drained while the engine's write buffer is empty", () => {
    const { socket, conn } = fakeSocket();
    const transport = socketTransport(socket);
    expect(transport.drained()).toBe(true);
    conn.writeBuffer.push("packet");
    expect(transport.drained()).toBe(false);
  });

  it("wakes every waiting console on the next drain through a single engine listener", () => {
    const { socket, conn } = fakeSocket();
    const transport = socketTransport(socket);
    const woken = [vi.fn(), vi.fn(), vi.fn()];
    for (const listener of woken) transport.whenDrained(listener);
    expect(conn.listenerCount("drain")).toBe(1);
    conn.emit("drain");
    for (const listener of woken) expect(listener).toHaveBeenCalledOnce();
    conn.emit("drain");
    for (const listener of woken) expect(listener).toHaveBeenCalledOnce();
    transport.whenDrained(woken[0]!);
    expect(conn.listenerCount("drain")).toBe(1);
  });

  it("emits console:data and joins and leaves rooms", () => {
    const { socket } = fakeSocket();
    const transport = socketTransport(socket);
    const batch = { serverId: "s1", terminalId: null, runId: "r", frames: [] };
    transport.send(batch);
    transport.joinRoom("console:s1");
    expect(socket.emitted).toEqual([batch]);
    expect([...socket.rooms]).toEqual(["console:s1"]);
    transport.leaveRoom("console:s1");
    expect(socket.rooms.size).toBe(0);
  });
});
