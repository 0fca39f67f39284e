import type { ServerTerminals } from "@berth/protocol";
import { describe, expect, it } from "vitest";
import type { ConsoleFrame } from "@berth/protocol";
import { FakeClock, settle } from "../instance/fake-clock";
import { FakeDriver } from "../instance/fake-driver";
import type { ServerState } from "../instance/server-state";
import { memoryLog, specFor } from "../instance/test-fixture";
import { LOGIN_SHELL } from "../servers/dev-environment";
import { TerminalRegistry, type TerminalHost } from "./terminal-registry";

async function setup({ kind = "dev" as TerminalHost["kind"], closeGraceMs = 2000 } = {}) {
  const clock = new FakeClock();
  const driver = new FakeDriver(clock);
  const spec = { ...specFor("s1"), dataDir: "/srv/berth/s1/data", workdir: "/home/dev/workspace" };
  await driver.create(spec);
  await driver.start("s1");
  let state: ServerState = "running";
  const updates: ServerTerminals[] = [];
  const log = memoryLog();
  const registry = new TerminalRegistry({
    driver,
    driverName: "docker",
    host: (serverId) => (serverId === "s1" ? { kind, state, spec } : null),
    clock,
    log,
    onUpdate: (update) => updates.push(update),
    closeGraceMs,
  });
  return {
    clock,
    driver,
    registry,
    updates,
    log,
    setState: (next: ServerState) => (state = next),
    titles: () => updates.at(-1)?.terminals.map((t) => t.title),
  };
}

const text = (frames: ConsoleFrame[]) => frames.map((f) => f.data).join("");

describe("TerminalRegistry", () => {
  it("opens a login shell as the dev user in the workspace, with its own console", async () => {
    const fx = await setup();
    const created = await fx.registry.create({ serverId: "s1", cols: 120, rows: 40 });
    expect(created).toMatchObject({
      ok: true,
      data: { title: "Terminal 1", exited: false, exitCode: null, createdAt: fx.clock.now() },
    });
    if (!created.ok) return;
    expect(created.data.terminalId).toMatch(/^t[a-z0-9]{1,24}$/);
    const exec = fx.driver.execs[0]!;
    expect(exec.options).toEqual({
      command: LOGIN_SHELL,
      user: "dev",
      cwd: "/home/dev/workspace",
      env: {
        HOME: "/home/dev",
        USER: "dev",
        LOGNAME: "dev",
        TERM: "xterm-256color",
        LANG: "C.UTF-8",
      },
      cols: 120,
      rows: 40,
    });
    expect(fx.updates).toEqual([{ serverId: "s1", terminals: [created.data] }]);

    const channel = fx.registry.channel("s1", created.data.terminalId)!;
    exec.emit("dev@box:~/workspace$ ");
    await fx.clock.advance(25);
    expect(text(channel.hub.replay().frames)).toBe("dev@box:~/workspace$ ");

    const terminal = fx.registry.get("s1", created.data.terminalId)!;
    expect(terminal.write("ls\r")).toEqual({ ok: true, data: {} });
    terminal.resize(100, 30);
    expect(exec.input).toEqual(["ls\r"]);
    expect(exec.sizes).toEqual([[100, 30]]);
  });

  it("refuses terminals for game servers, stopped servers and servers it does not know", async () => {
    const game = await setup({ kind: "game" });
    expect(await game.registry.create({ serverId: "s1", cols: 80, rows: 24 })).toEqual({
      ok: false,
      error: { code: "BAD_REQUEST", message: "Only dev servers have terminals" },
    });
    expect(game.registry.list("s1")).toEqual({ ok: true, data: { serverId: "s1", terminals: [] } });

    const fx = await setup();
    fx.setState("offline");
    expect(await fx.registry.create({ serverId: "s1", cols: 80, rows: 24 })).toEqual({
      ok: false,
      error: { code: "CONFLICT", message: "The server is not running" },
    });
    expect(await fx.registry.create({ serverId: "ghost", cols: 80, rows: 24 })).toMatchObject({
      ok: false,
      error: { code: "NOT_FOUND" },
    });
    expect(fx.registry.list("ghost")).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
    expect(fx.driver.execs).toHaveLength(0);
  });

  it("holds at most six per server, counting those still being opened", async () => {
    const fx = await setup();
    const release = fx.driver.hold("exec");
    const first = fx.registry.create({ serverId: "s1", cols: 80, rows: 24 });
    await settle();
    const rest = await Promise.all(
      Array.from({ length: 6 }, () => fx.registry.create({ serverId: "s1", cols: 80, rows: 24 })),
    );
    release();
    expect((await first).ok).toBe(true);
    expect(rest.filter((r) => r.ok)).toHaveLength(5);
    expect(rest.at(-1)).toEqual({
      ok: false,
      error: { code: "CONFLICT", message: "A server has at most 6 terminals; close one first" },
    });
    expect(fx.titles()).toEqual([1, 2, 3, 4, 5, 6].map((n) => `Terminal ${n}`));
  });

  it("names tabs after the lowest free number and renames them", async () => {
    const fx = await setup();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const created = await fx.registry.create({ serverId: "s1", cols: 80, rows: 24 });
      if (created.ok) ids.push(created.data.terminalId);
    }
    await fx.registry.close({ serverId: "s1", terminalId: ids[1]! });
    await fx.registry.create({ serverId: "s1", cols: 80, rows: 24 });
    expect(fx.titles()).toEqual(["Terminal 1", "Terminal 3", "Terminal 2"]);
    expect(
      await fx.registry.create({ serverId: "s1", cols: 80, rows: 24, title: "build" }),
    ).toMatchObject({ ok: true, data: { title: "build" } });

    expect(
      fx.registry.rename({ serverId: "s1", terminalId: ids[0]!, title: "logs" }),
    ).toMatchObject({ ok: true, data: { terminalId: ids[0], title: "logs" } });
    expect(fx.titles()?.[0]).toBe("logs");
    expect(fx.registry.rename({ serverId: "s1", terminalId: "tnope", title: "x" })).toEqual({
      ok: false,
      error: { code: "NOT_FOUND", message: "No such terminal" },
    });
  });

  it("says so in the tab when the shell exits, and keeps the tab until it is closed", async () => {
    const fx = await setup();
    const created = await fx.registry.create({ serverId: "s1", cols: 80, rows: 24 });
    if (!created.ok) throw new Error("not created");
    const { terminalId } = created.data;
    const exec = fx.driver.execs[0]!;
    const channel = fx.registry.channel("s1", terminalId)!;
    const viewer = channel.hub.addViewer();
    exec.emit("logout");
    exec.finish({ exitCode: 3, signal: null, oomKilled: false });

    // The output before the exit and the notice reach the viewer before the update goes out.
    expect(text(viewer.take())).toBe("logout\r\n[berth] shell exited (code 3)\r\n");
    expect(fx.updates.at(-1)).toEqual({
      serverId: "s1",
      terminals: [{ ...created.data, exited: true, exitCode: 3 }],
    });
    expect(fx.registry.get("s1", terminalId)!.write("ls\r")).toEqual({
      ok: false,
      error: { code: "CONFLICT", message: "The shell has exited; open a new terminal" },
    });

    expect(await fx.registry.close({ serverId: "s1", terminalId })).toEqual({
      ok: true,
      data: { closed: true },
    });
    expect(exec.signals).toEqual([]);
    expect(exec.closed).toBe(true);
    expect(channel.closed).toBe(true);
    expect(fx.updates.at(-1)).toEqual({ serverId: "s1", terminals: [] });
    expect(await fx.registry.close({ serverId: "s1", terminalId })).toEqual({
      ok: true,
      data: { closed: false },
    });
  });

  it("ends the shell on close with SIGHUP, and SIGKILL when the hang-up is ignored", async () => {
    const fx = await setup();
    await fx.registry.create({ serverId: "s1", cols: 80, rows: 24 });
    await fx.registry.create({ serverId: "s1", cols: 80, rows: 24 });
    const [polite, stubborn] = fx.driver.execs;
    stubborn!.ignoreHangup = true;
    const ids = fx.updates.at(-1)!.terminals.map((t) => t.terminalId);

    expect(await fx.registry.close({ serverId: "s1", terminalId: ids[0]! })).toMatchObject({
      ok: true,
    });
    expect(polite!.signals).toEqual(["SIGHUP"]);

    let closed = false;
    const closing = fx.registry
      .close({ serverId: "s1", terminalId: ids[1]! })
      .then(() => (closed = true));
    await settle();
    // The tab is gone at once; the shell gets its grace time before SIGKILL.
    expect(fx.updates.at(-1)!.terminals).toEqual([]);
    expect(stubborn!.signals).toEqual(["SIGHUP"]);
    await fx.clock.advance(1999);
    expect(closed).toBe(false);
    await fx.clock.advance(1);
    await closing;
    expect(stubborn!.signals).toEqual(["SIGHUP", "SIGKILL"]);
    expect(stubborn!.exit).toMatchObject({ signal: "SIGKILL" });
    expect(fx.clock.pending).toBe(0);
  });

  it("ends every terminal of a server that stops, and refuses a create the stop overtook", async () => {
    const fx = await setup();
    await fx.registry.create({ serverId: "s1", cols: 80, rows: 24 });
    await fx.registry.create({ serverId: "s1", cols: 80, rows: 24 });
    const release = fx.driver.hold("exec");
    const late = fx.registry.create({ serverId: "s1", cols: 80, rows: 24 });
    await settle();

    fx.setState("stopping");
    await fx.registry.closeServer("s1");
    expect(fx.updates.at(-1)).toEqual({ serverId: "s1", terminals: [] });
    expect(fx.driver.execs.map((e) => e.signals)).toEqual([["SIGHUP"], ["SIGHUP"]]);

    release();
    expect(await late).toEqual({
      ok: false,
      error: { code: "CONFLICT", message: "The server is not running" },
    });
    expect(fx.driver.execs[2]!.signals).toEqual(["SIGHUP"]);
    expect(fx.registry.list("s1")).toEqual({ ok: true, data: { serverId: "s1", terminals: [] } });
  });
});
