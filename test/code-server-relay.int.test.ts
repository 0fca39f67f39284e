// The portal's side of code-server on real parts: a portal on port 0, a Socket.IO client speaking
// the agent protocol on /agent, browser sockets on /browser and Postgres. An agent's reports are
// recorded (older ones ignored) and reach the owner's page live; the page's start/stop/restart go
// to the node and its answer is recorded the same way.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Socket } from "socket.io-client";
import { createCaller, createTRPCContext } from "@berth/api";
import { createUser } from "@berth/api/services";
import type { CodeServerEvent } from "@berth/protocol";
import { createTestDatabase, type TestDatabase } from "./db";
import {
  connectBrowser,
  connectTestAgent,
  sessionCookie,
  startTestPortal,
  waitFor,
  type AgentClientSocket,
  type TestPortal,
} from "./portal";

type TestUser = { id: string; email: string; name: string | null; role: "admin" | "user" };

let db: TestDatabase;
let portal: TestPortal;
let owner: TestUser;
let stranger: TestUser;
let agent: AgentClientSocket;
let nodeId: string;
const sockets: Socket[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  portal = await startTestPortal({ databaseUrl: db.url });
  owner = await createUser({
    db: db.prisma,
    email: "owner@ide.test",
    password: "password1",
    role: "user",
  });
  stranger = await createUser({
    db: db.prisma,
    email: "stranger@ide.test",
    password: "password1",
    role: "user",
  });
  ({ nodeId, socket: agent } = await connectTestAgent({ portal, prisma: db.prisma, name: "n1" }));
});
afterAll(async () => {
  sockets.forEach((s) => s.close());
  agent?.close();
  await portal?.close();
  await db?.drop();
});

const callerFor = (user: TestUser) =>
  createCaller(createTRPCContext({ runtime: portal.runtime, sessionUser: user, ip: "127.0.0.1" }));

async function browserOf(user: TestUser): Promise<Socket> {
  const socket = connectBrowser(portal.url, await sessionCookie(portal.secret, user));
  sockets.push(socket);
  await waitFor(() => socket.connected || undefined, { what: `${user.email}'s socket` });
  return socket;
}

const devServer = (name: string) =>
  db.prisma.server.create({
    data: { name, kind: "dev", ownerId: owner.id, nodeId, codeServer: true, memoryMb: 256 },
  });

describe("code-server through the portal", () => {
  it("records the agent's reports, ignores older ones, and sends them to the owner's page only", async () => {
    const server = await devServer("reports");
    const page = await browserOf(owner);
    expect(
      await page.timeout(5000).emitWithAck("server:subscribe", { serverId: server.id }),
    ).toEqual({ ok: true, data: { serverId: server.id } });
    const other = await browserOf(stranger);
    expect(
      await other.timeout(5000).emitWithAck("server:subscribe", { serverId: server.id }),
    ).toMatchObject({ ok: false });
    const seen: CodeServerEvent[] = [];
    const seenByOther: unknown[] = [];
    page.on("server:code-server", (event: CodeServerEvent) => seen.push(event));
    other.on("server:code-server", (event: unknown) => seenByOther.push(event));

    const since = Date.now();
    agent.emit("server:code-server", {
      serverId: server.id,
      state: "running",
      since,
      message: null,
    });
    agent.emit("server:code-server", {
      serverId: server.id,
      state: "starting",
      since: since - 1_000,
      message: "Starting code-server",
    });
    await waitFor(() => seen.length > 0 || undefined, { what: "the live event" });
    await waitFor(
      async () =>
        (await callerFor(owner).servers.get({ serverId: server.id })).codeServer?.state ===
          "running" || undefined,
      { what: "running recorded" },
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(seen).toEqual([{ serverId: server.id, state: "running", since, message: null }]);
    expect(seenByOther).toEqual([]);
    expect((await callerFor(owner).servers.get({ serverId: server.id })).codeServer).toEqual({
      state: "running",
      since,
      message: null,
    });
  });

  it("sends start/stop/restart to the node and records its answer; an offline node is a clear error", async () => {
    const server = await devServer("actions");
    const asked: unknown[] = [];
    agent.on("server:code-server", (request, ack) => {
      asked.push(request);
      ack({
        ok: true,
        data: { state: "stopped", since: Date.now(), message: "Stopped by its owner" },
      });
    });
    const status = await callerFor(owner).servers.codeServer({
      serverId: server.id,
      action: "stop",
    });
    expect(status).toMatchObject({ state: "stopped", message: "Stopped by its owner" });
    expect(asked).toEqual([{ serverId: server.id, action: "stop" }]);
    expect((await callerFor(owner).servers.get({ serverId: server.id })).codeServer).toMatchObject({
      state: "stopped",
    });

    agent.disconnect();
    await waitFor(
      async () =>
        (await db.prisma.node.findUniqueOrThrow({ where: { id: nodeId } })).status === "offline" ||
        undefined,
      { what: "node offline" },
    );
    await expect(
      callerFor(owner).servers.codeServer({ serverId: server.id, action: "start" }),
    ).rejects.toThrow(/offline/i);
  });
});
