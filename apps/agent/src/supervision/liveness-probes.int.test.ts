// The TCP liveness probe against real sockets on 127.0.0.1.
import { createServer, type Server, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { tcpProbe } from "./liveness-probes";

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function listen(onConnection: (socket: Socket) => void): Promise<number> {
  const server = createServer(onConnection);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as { port: number }).port;
}

async function closedPort(): Promise<number> {
  const port = await listen(() => {});
  await new Promise((r) => servers.pop()!.close(r));
  return port;
}

const run = (port: number) =>
  tcpProbe({ host: "127.0.0.1", port }).run(new AbortController().signal);

describe("tcpProbe", () => {
  it("passes when the port accepts and holds the connection", async () => {
    const held: Socket[] = [];
    const port = await listen((socket) => held.push(socket));
    expect(await run(port)).toEqual({ ok: true });
    held.forEach((s) => s.destroy());
  });

  it("passes at once when the server speaks first, even if it hangs up after", async () => {
    const port = await listen((socket) => socket.end("220 hello\r\n"));
    const started = Date.now();
    expect(await run(port)).toEqual({ ok: true });
    expect(Date.now() - started).toBeLessThan(200);
  });

  it("fails when nothing listens", async () => {
    const port = await closedPort();
    expect(await run(port)).toEqual({ ok: false, detail: `port ${port}: connection refused` });
  });

  it("fails when the connection is accepted and closed at once, as a proxy with no backend does", async () => {
    const port = await listen((socket) => socket.destroy());
    expect(await run(port)).toEqual({
      ok: false,
      detail: `port ${port}: accepted, then closed at once`,
    });
  });

  it("ends when aborted, closing its connection", async () => {
    let closed = false;
    const port = await listen((socket) => socket.on("close", () => (closed = true)));
    const controller = new AbortController();
    const result = tcpProbe({ host: "127.0.0.1", port }, 10_000).run(controller.signal);
    await new Promise((r) => setTimeout(r, 50));
    controller.abort();
    expect(await result).toEqual({ ok: false, detail: `port ${port}: aborted` });
    await new Promise((r) => setTimeout(r, 50));
    expect(closed).toBe(true);
  });
});
