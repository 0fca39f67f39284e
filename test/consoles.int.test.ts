// Live consoles end to end: a portal on port 0, the real agent CLI with the process driver, servers
// created through the procedures, and browser sockets that join, type, reload and fall behind.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Socket } from "socket.io-client";
import { createCaller, createTRPCContext } from "@berth/api";
import { createUser, ensureBuiltinTemplates } from "@berth/api/services";
import type { ConsoleFrame, ConsoleOutput } from "@berth/protocol";
import { startProcessAgent, type AgentProcess } from "./agent-process";
import { createTestDatabase, type TestDatabase } from "./db";
import { connectBrowser, sessionCookie, startTestPortal, waitFor, type TestPortal } from "./portal";

type TestUser = { id: string; email: string; name: string | null; role: "admin" | "user" };

/** Everything one browser socket received, per console. */
function watch(socket: Socket) {
  const batches: ConsoleOutput[] = [];
  socket.on("console:data", (batch: ConsoleOutput) => batches.push(batch));
  const of = (serverId: string, terminalId: string | null = null) =>
    batches.filter((b) => b.serverId === serverId && b.terminalId === terminalId);
  return {
    batches,
    frames: (serverId: string, terminalId: string | null = null): ConsoleFrame[] =>
      of(serverId, terminalId).flatMap((b) => b.frames),
    text: (serverId: string, terminalId: string | null = null) =>
      of(serverId, terminalId)
        .flatMap((b) => b.frames)
        .map((f) => f.data)
        .join(""),
  };
}

/** Frames that follow each other exactly: nothing doubled, nothing skipped without a gap frame. */
function expectContiguous(frames: ConsoleFrame[], from?: number) {
  if (from !== undefined && frames.length > 0) expect(frames[0]!.fromSeq).toBe(from);
  for (let i = 1; i < frames.length; i++) expect(frames[i]!.fromSeq).toBe(frames[i - 1]!.toSeq);
}

/** "tick N" lines in order, each once. */
function ticks(text: string): number[] {
  return [...text.matchAll(/tick (\d+)\r?\n/g)].map((m) => Number(m[1]));
}

describe("live consoles through portal and agent", () => {
  let db: TestDatabase;
  let portal: TestPortal;
  let agent: AgentProcess | undefined;
  const dir = mkdtempSync(join(tmpdir(), "berth-consoles-"));
  const sockets: Socket[] = [];
  let owner: TestUser;
  let stranger: TestUser;
  let echoId: string;
  let counterId: string;

  const caller = (user: TestUser) =>
    createCaller(
      createTRPCContext({ runtime: portal.runtime, sessionUser: user, ip: "127.0.0.1" }),
    );
  const browser = async (user: TestUser) => {
    const socket = connectBrowser(portal.url, await sessionCookie(portal.secret, user));
    sockets.push(socket);
    await waitFor(() => socket.connected || undefined, { what: `${user.email}'s socket` });
    return socket;
  };
  const ask = (socket: Socket, event: string, payload: object) =>
    socket.timeout(10_000).emitWithAck(event, payload);
  const observed = async (id: string) =>
    (await db.prisma.server.findUniqueOrThrow({ where: { id } })).observedState;
  const running = (id: string) =>
    waitFor(async () => ((await observed(id)) === "running" ? true : undefined), {
      what: `server ${id} running`,
      timeoutMs: 60_000,
    });
  const createGame = async (name: string, templateSlug: string) => {
    const template = await db.prisma.template.findUniqueOrThrow({ where: { slug: templateSlug } });
    const { id } = await caller(owner).servers.create({
      kind: "game",
      name,
      templateId: template.id,
      memoryMb: 64,
    });
    await running(id);
    return id;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    await ensureBuiltinTemplates({ prisma: db.prisma });
    await db.prisma.template.createMany({
      data: [
        {
          slug: "test-counter",
          name: "Counter",
          image: "berth/generic:1",
          startup: `sh -c 'echo "Server ready"; i=0; while :; do i=$((i+1)); echo "tick $i"; sleep 0.02; done'`,
          donePattern: "Server ready",
          stopTimeoutS: 2,
          termTimeoutS: 2,
        },
        {
          slug: "test-flood",
          name: "Flood",
          image: "berth/generic:1",
          startup: `sh -c 'echo "Server ready"; read go; while :; do echo "flood flood flood flood flood flood flood flood flood flood"; done'`,
          donePattern: "Server ready",
          stopTimeoutS: 2,
          termTimeoutS: 2,
        },
      ],
    });
    portal = await startTestPortal({ databaseUrl: db.url });
    ({ agent } = await startProcessAgent({
      prisma: db.prisma,
      portalUrl: portal.url,
      name: "console-node",
      dir,
    }));
    const user = async (email: string): Promise<TestUser> => {
      const created = await createUser({
        db: db.prisma,
        email,
        password: "password1",
        role: "user",
      });
      return { id: created.id, email, name: null, role: "user" };
    };
    owner = await user("owner@consoles.test");
    stranger = await user("stranger@consoles.test");
    echoId = await createGame("echo", "generic-console");
    counterId = await createGame("counter", "test-counter");
  }, 180_000);

  afterAll(async () => {
    for (const socket of sockets) socket.close();
    for (const server of (await db?.prisma.server.findMany()) ?? []) {
      await caller(owner)
        .servers.delete({ serverId: server.id })
        .catch(() => undefined);
    }
    agent?.child.kill("SIGKILL");
    await portal?.close();
    await db?.drop();
  });

  it("shows one console's output to two sockets of its owner", async () => {
    const [a, b] = [await browser(owner), await browser(owner)];
    const [seenA, seenB] = [watch(a), watch(b)];
    for (const socket of [a, b]) {
      const joined = await ask(socket, "console:join", { serverId: echoId, terminalId: null });
      expect(joined).toEqual({
        ok: true,
        data: { serverId: echoId, terminalId: null, runId: expect.any(String) },
      });
    }
    // The scrollback comes first: the program's own greeting.
    await waitFor(() => seenA.text(echoId).includes("Server ready") || undefined, {
      what: "replay",
    });
    expect(
      await ask(a, "console:input", { serverId: echoId, terminalId: null, data: "hi\n" }),
    ).toEqual({ ok: true, data: {} });
    for (const seen of [seenA, seenB]) {
      await waitFor(() => seen.text(echoId).includes("> hi") || undefined, { what: "echo" });
      expectContiguous(seen.frames(echoId));
    }
  });

  it("does not keep a socket in a console it left while the join was still on its way", async () => {
    const socket = await browser(owner);
    const seen = watch(socket);
    const joining = ask(socket, "console:join", { serverId: counterId, terminalId: null });
    socket.emit("console:leave", { serverId: counterId, terminalId: null });
    expect(await joining).toMatchObject({ ok: false, error: { code: "CONFLICT" } });
    const afterJoin = seen.batches.length;
    await new Promise((r) => setTimeout(r, 500)); // the counter ticks every 20 ms
    expect(seen.batches.length).toBe(afterJoin);
  });

  it("refuses another user's socket on every event, with the answer for a missing server", async () => {
    const socket = await browser(stranger);
    const seen = watch(socket);
    const notFound = { ok: false, error: { code: "NOT_FOUND", message: "No such server." } };
    expect(await ask(socket, "console:join", { serverId: echoId, terminalId: null })).toEqual(
      notFound,
    );
    expect(
      await ask(socket, "console:input", { serverId: echoId, terminalId: null, data: "stop\n" }),
    ).toEqual(notFound);
    expect(await ask(socket, "terminal:list", { serverId: echoId })).toEqual(notFound);
    expect(
      await ask(socket, "console:join", { serverId: "doesnotexist", terminalId: null }),
    ).toEqual(notFound);
    await new Promise((r) => setTimeout(r, 300));
    expect(seen.batches).toEqual([]);
  });

  it("refuses terminals on a game server and oversized or too many commands", async () => {
    const socket = await browser(owner);
    expect(await ask(socket, "terminal:create", { serverId: echoId })).toEqual({
      ok: false,
      error: { code: "BAD_REQUEST", message: "Terminals exist only on dev servers." },
    });
    expect(
      await ask(socket, "console:input", {
        serverId: echoId,
        terminalId: null,
        data: "x".repeat(5000),
      }),
    ).toEqual({
      ok: false,
      error: { code: "BAD_REQUEST", message: "Input too large (at most 4096 characters)." },
    });
    const answers = [];
    for (let i = 0; i < 12; i++) {
      answers.push(
        await ask(socket, "console:input", { serverId: echoId, terminalId: null, data: `n${i}\n` }),
      );
    }
    expect(answers.filter((a) => a.ok)).toHaveLength(10);
    expect(answers.at(-1)).toMatchObject({ ok: false, error: { code: "TOO_MANY_REQUESTS" } });
  });

  it("resumes a reloaded page mid-stream without gaps or doubles", async () => {
    const first = await browser(owner);
    const seenFirst = watch(first);
    const joined = await ask(first, "console:join", { serverId: counterId, terminalId: null });
    expect(joined.ok).toBe(true);
    await waitFor(() => (ticks(seenFirst.text(counterId)).length > 20 ? true : undefined), {
      what: "ticks",
    });
    first.close();
    const framesBefore = seenFirst.frames(counterId);
    const last = framesBefore.at(-1)!;
    // The page is away while the program keeps printing.
    await new Promise((r) => setTimeout(r, 500));

    const second = await browser(owner);
    const seenSecond = watch(second);
    const rejoined = await ask(second, "console:join", {
      serverId: counterId,
      terminalId: null,
      resumeFromSeq: last.toSeq,
      runId: joined.data.runId,
    });
    expect(rejoined).toEqual({ ok: true, data: { ...joined.data } });
    await waitFor(() => (ticks(seenSecond.text(counterId)).length > 40 ? true : undefined), {
      what: "ticks after reload",
    });
    const framesAfter = seenSecond.frames(counterId);
    expect(framesAfter.some((f) => f.kind === "gap")).toBe(false);
    expectContiguous(framesAfter, last.toSeq);
    const all = ticks(seenFirst.text(counterId) + seenSecond.text(counterId));
    const start = all[0]!;
    expect(all).toEqual(all.map((_, i) => start + i));
  });

  it("lets the viewers of a restarted portal resume and new ones see the scrollback", async () => {
    const before = await browser(owner);
    const seenBefore = watch(before);
    const joined = await ask(before, "console:join", { serverId: counterId, terminalId: null });
    await waitFor(() => (ticks(seenBefore.text(counterId)).length > 5 ? true : undefined), {
      what: "ticks",
    });
    const port = portal.port;
    await portal.close();
    const lastBefore = seenBefore.frames(counterId).at(-1)!;
    portal = await startTestPortal({ databaseUrl: db.url, port });
    await waitFor(
      async () =>
        (agent!.output().match(/"msg":"hello acknowledged"/g)?.length ?? 0) >= 2 || undefined,
      { what: "agent back", timeoutMs: 30_000 },
    );

    const resumed = await browser(owner);
    const seenResumed = watch(resumed);
    expect(
      await ask(resumed, "console:join", {
        serverId: counterId,
        terminalId: null,
        resumeFromSeq: lastBefore.toSeq,
        runId: joined.data.runId,
      }),
    ).toEqual({ ok: true, data: joined.data });
    const fresh = await browser(owner);
    const seenFresh = watch(fresh);
    expect(await ask(fresh, "console:join", { serverId: counterId, terminalId: null })).toEqual({
      ok: true,
      data: joined.data,
    });
    await waitFor(() => (ticks(seenResumed.text(counterId)).length > 10 ? true : undefined), {
      what: "ticks after restart",
    });
    expectContiguous(seenResumed.frames(counterId), lastBefore.toSeq);
    const all = ticks(seenBefore.text(counterId) + seenResumed.text(counterId));
    expect(all).toEqual(all.map((_, i) => all[0]! + i));
    // The scrollback holds what was printed before the restart.
    await waitFor(() => seenFresh.text(counterId).includes("tick 1\r\n") || undefined, {
      what: "scrollback for a new viewer",
    });
  }, 90_000);

  it("keeps a slow viewer's memory bounded while a server floods, and other consoles responsive", async () => {
    const floodId = await createGame("flood", "test-flood");
    const quick = await browser(owner);
    const slow = await browser(owner);
    const seenQuick = watch(quick);
    watch(slow);
    for (const socket of [quick, slow]) {
      expect((await ask(socket, "console:join", { serverId: floodId, terminalId: null })).ok).toBe(
        true,
      );
    }
    // The slow browser stops reading: the portal's writes to it back up in the kernel.
    (
      slow.io.engine.transport as unknown as { ws: { _socket: { pause(): void } } }
    ).ws._socket.pause();
    const rssBefore = process.memoryUsage().rss;
    // The flood starts now, with both viewers watching.
    expect(
      await ask(quick, "console:input", { serverId: floodId, terminalId: null, data: "go\n" }),
    ).toEqual({ ok: true, data: {} });

    const typist = await browser(owner);
    const seenTypist = watch(typist);
    await ask(typist, "console:join", { serverId: echoId, terminalId: null });
    const started = Date.now();
    let maxHeld = 0;
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setTimeout(r, 1000));
      maxHeld = Math.max(maxHeld, portal.consoles.stats.heldBytes);
      const word = `alive${i}`;
      const sentAt = Date.now();
      expect(
        await ask(typist, "console:input", {
          serverId: echoId,
          terminalId: null,
          data: `${word}\n`,
        }),
      ).toEqual({ ok: true, data: {} });
      await waitFor(() => seenTypist.text(echoId).includes(`> ${word}`) || undefined, {
        what: `echo of ${word}`,
        timeoutMs: 3000,
      });
      expect(Date.now() - sentAt).toBeLessThan(3000);
    }
    expect(Date.now() - started).toBeLessThan(25_000);
    expect(seenQuick.text(floodId)).toContain("[berth] output throttled");
    // Each browser's feed is bounded (1 MiB by default); the rest of the flood was dropped.
    expect(maxHeld).toBeLessThan(3 * 1024 * 1024);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(200 * 1024 * 1024);
    slow.close();
    await caller(owner).servers.power({ serverId: floodId, action: "kill" });
  }, 90_000);

  it("relays a dev server's terminals: create, type, see the shell's output", async () => {
    const { id: devId } = await caller(owner).servers.create({
      kind: "dev",
      name: "dev",
      memoryMb: 128,
    });
    await running(devId);
    const socket = await browser(owner);
    const seen = watch(socket);
    const updates: unknown[] = [];
    socket.on("terminal:update", (u: unknown) => updates.push(u));
    await ask(socket, "server:subscribe", { serverId: devId });
    const created = await ask(socket, "terminal:create", { serverId: devId, title: "shell" });
    expect(created).toMatchObject({ ok: true, data: { title: "shell", exited: false } });
    const terminalId = created.data.terminalId as string;
    expect(await ask(socket, "terminal:list", { serverId: devId })).toMatchObject({
      ok: true,
      data: { serverId: devId, terminals: [{ terminalId }] },
    });
    expect((await ask(socket, "console:join", { serverId: devId, terminalId })).ok).toBe(true);
    expect(
      await ask(socket, "console:input", {
        serverId: devId,
        terminalId,
        data: "echo term-$((6*7))\r",
      }),
    ).toEqual({ ok: true, data: {} });
    await waitFor(() => seen.text(devId, terminalId).includes("term-42") || undefined, {
      what: "shell output",
    });
    socket.emit("console:resize", { serverId: devId, terminalId, cols: 100, rows: 30 });
    expect(await ask(socket, "terminal:close", { serverId: devId, terminalId })).toEqual({
      ok: true,
      data: { closed: true },
    });
    await waitFor(() => (updates.length > 0 ? true : undefined), { what: "terminal:update" });
  }, 120_000);

  it("stops a socket's output and input within the cache time once its access is gone", async () => {
    const socket = await browser(owner);
    const seen = watch(socket);
    expect((await ask(socket, "console:join", { serverId: counterId, terminalId: null })).ok).toBe(
      true,
    );
    await waitFor(() => (ticks(seen.text(counterId)).length > 3 ? true : undefined), {
      what: "ticks",
    });
    await db.prisma.server.update({ where: { id: counterId }, data: { ownerId: stranger.id } });
    try {
      await new Promise((r) => setTimeout(r, 2500));
      const count = seen.batches.length;
      await new Promise((r) => setTimeout(r, 1000));
      expect(seen.batches.length).toBe(count);
      expect(
        await ask(socket, "console:input", { serverId: counterId, terminalId: null, data: "x\n" }),
      ).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
    } finally {
      await db.prisma.server.update({ where: { id: counterId }, data: { ownerId: owner.id } });
    }
  });
});
