// Crashes as the instance sees them: the supervisor's decision, automatic restarts, hangs, and a
// stop command typed into the console.
import { describe, expect, it } from "vitest";
import { FakeClock, settle } from "./fake-clock";
import { FakeDriver } from "./fake-driver";
import { ServerInstance } from "./server-instance";
import { memoryLog, setup, specFor, startServer } from "./test-fixture";

describe("ServerInstance and the supervisor's decision", () => {
  it("asks before the state changes, and the crashed state carries the restart time", async () => {
    const clock = new FakeClock();
    const driver = new FakeDriver(clock);
    const asked: string[] = [];
    const seen: Array<[string, number | undefined]> = [];
    const instance: ServerInstance = new ServerInstance({
      serverId: "s1",
      driver,
      spec: specFor("s1"),
      policy: {},
      clock,
      log: memoryLog(),
      superviseCrash: () => {
        asked.push(instance.state);
        return { kind: "restart", at: clock.now() + 30_000 };
      },
      // What a state listener reads at the change already has the decided restart time.
      onState: (change) => seen.push([change.to, instance.snapshot().restartAt]),
    });
    await instance.start();
    driver.process("s1").exit({ exitCode: 1 });
    expect(asked).toEqual(["running"]);
    expect(seen.at(-1)).toEqual(["crashed", clock.now() + 30_000]);
    expect(instance.snapshot()).toMatchObject({
      state: "crashed",
      restartAt: clock.now() + 30_000,
    });
  });

  it("a crash loop goes on to error with the supervisor's reason and no restart time", async () => {
    const fx = setup({}, "s1", () => ({
      kind: "crash_loop",
      reason: "crash loop — auto-restart paused",
    }));
    await startServer(fx);
    fx.proc().exit({ exitCode: 1 });
    expect(fx.path().slice(-2)).toEqual(["running→crashed", "crashed→error"]);
    expect(fx.instance.snapshot()).toMatchObject({
      state: "error",
      lastTransitionReason: "crash loop — auto-restart paused",
    });
    expect(fx.instance.snapshot().restartAt).toBeUndefined();
    expect(fx.crashes).toHaveLength(1);
    // "Start again" works from there.
    expect(await fx.instance.start()).toMatchObject({ ok: true, data: { state: "running" } });
  });

  it("an automatic restart starts a crashed server and clears the restart time", async () => {
    const fx = setup({}, "s1", () => ({ kind: "restart", at: 1 }));
    await startServer(fx);
    fx.proc().exit({ exitCode: 1 });
    expect(await fx.instance.autoRestart()).toMatchObject({ ok: true, data: { state: "running" } });
    expect(fx.changes.at(-2)).toMatchObject({
      from: "crashed",
      to: "starting",
      event: "restart_due",
      reason: "automatic restart after a crash",
    });
    expect(fx.instance.snapshot().restartAt).toBeUndefined();
  });

  it("refuses an automatic restart of a server that is not crashed", async () => {
    const fx = setup();
    expect(await fx.instance.autoRestart()).toMatchObject({ ok: false });
    await startServer(fx);
    expect(await fx.instance.autoRestart()).toMatchObject({ ok: false });
    expect(fx.driver.callsOf("start")).toHaveLength(1);
  });

  it("a stop of a crashed server clears the restart time", async () => {
    const fx = setup({}, "s1", () => ({ kind: "restart", at: 1 }));
    await startServer(fx);
    fx.proc().exit({ exitCode: 1 });
    expect(await fx.instance.stop()).toMatchObject({ ok: true, data: { state: "offline" } });
    expect(fx.instance.snapshot().restartAt).toBeUndefined();
  });

  it("keeps an unfinished last line in the crash's log tail", async () => {
    const fx = setup();
    await startServer(fx);
    fx.proc().emit("loading\nFATAL: cannot bind port");
    fx.proc().exit({ exitCode: 1 });
    expect(fx.crashes[0]?.logTail).toEqual(["loading", "FATAL: cannot bind port"]);
  });
});

describe("ServerInstance hang", () => {
  it("kills a running server and records a crash with the hang, the kill and the tail", async () => {
    const fx = setup({}, "s1", () => ({ kind: "restart", at: 99 }));
    await startServer(fx);
    await fx.clock.advance(45_000);
    fx.proc().emit("tick 1\ntick 2\n");
    const result = await fx.instance.hang({ check: "console", detail: "no answer in 2000 ms" });
    expect(result).toMatchObject({ ok: true, data: { state: "crashed", restartAt: 99 } });
    expect(fx.proc().running).toBe(false);
    expect(fx.driver.callsOf("kill")).toHaveLength(1);
    expect(fx.changes.at(-1)).toMatchObject({
      from: "running",
      to: "crashed",
      event: "liveness_failed",
      reason: "stopped answering (no answer in 2000 ms)",
    });
    expect(fx.crashes).toEqual([
      {
        serverId: "s1",
        exit: { exitCode: null, signal: "SIGKILL", oomKilled: false },
        at: fx.clock.now(),
        uptimeMs: 45_000,
        logTail: ["tick 1", "tick 2"],
        hung: { check: "console", detail: "no answer in 2000 ms" },
      },
    ]);
  });

  it("is refused when the server is not running, and changes nothing", async () => {
    const fx = setup({ donePattern: "Done" });
    expect(await fx.instance.hang({ check: "tcp", detail: "x" })).toMatchObject({ ok: false });
    await startServer(fx);
    expect(await fx.instance.hang({ check: "tcp", detail: "x" })).toMatchObject({ ok: false });
    expect(fx.instance.state).toBe("starting");
    expect(fx.driver.callsOf("kill")).toEqual([]);
    expect(fx.crashes).toEqual([]);
  });

  it("yields to a kill asked for meanwhile: offline, no crash", async () => {
    const fx = setup();
    await startServer(fx);
    const release = fx.driver.hold("kill");
    const hanging = fx.instance.hang({ check: "tcp", detail: "refused" });
    await settle();
    const killed = fx.instance.kill();
    release();
    expect(await hanging).toMatchObject({ ok: false, error: { code: "CONFLICT" } });
    expect(await killed).toMatchObject({ ok: true, data: { state: "offline" } });
    expect(fx.crashes).toEqual([]);
  });
});

describe("ServerInstance stop command typed into the console", () => {
  it("typed key by key, the exit that follows is a stop, not a crash", async () => {
    const fx = setup({ stopCommand: "stop" });
    await startServer(fx);
    for (const key of "stop\r")
      expect(fx.instance.writeConsole(key)).toEqual({ ok: true, data: {} });
    expect(fx.instance.state).toBe("stopping");
    expect(fx.changes.at(-1)?.reason).toBe("stop command typed in the console");
    fx.proc().exit({ exitCode: 0 });
    await settle();
    expect(fx.instance.state).toBe("offline");
    expect(fx.crashes).toEqual([]);
    // The process got the person's keystrokes, and the command was not sent a second time.
    expect(fx.proc().input.join("")).toBe("stop\r");
  });

  it("matches trimmed input, in one chunk", async () => {
    const fx = setup({ stopCommand: "stop" });
    await startServer(fx);
    fx.instance.writeConsole("  stop \n");
    expect(fx.instance.state).toBe("stopping");
  });

  it("other input is only input", async () => {
    const fx = setup({ stopCommand: "stop" });
    await startServer(fx);
    fx.instance.writeConsole("stop now\r");
    fx.instance.writeConsole("stop");
    expect(fx.instance.state).toBe("running");
    fx.proc().exit({ exitCode: 0 });
    expect(fx.instance.state).toBe("crashed");
  });

  it("without a stop command in the template nothing typed is a stop", async () => {
    const fx = setup();
    await startServer(fx);
    fx.instance.writeConsole("stop\r");
    expect(fx.instance.state).toBe("running");
  });

  it("escalates like a stop when the typed command is not obeyed", async () => {
    const fx = setup({ stopCommand: "stop", stopTimeoutMs: 5_000, termTimeoutMs: 1_000 });
    await startServer(fx);
    fx.instance.writeConsole("stop\n");
    await fx.clock.advance(5_000);
    expect(fx.driver.callsOf("stop")).toHaveLength(1);
    expect(fx.instance.state).toBe("offline");
    expect(fx.crashes).toEqual([]);
  });
});

describe("ServerInstance line watchers", () => {
  it("see every complete line of the current run until disposed", async () => {
    const fx = setup();
    await startServer(fx);
    const lines: string[] = [];
    const watch = fx.instance.watchLines((line) => lines.push(line));
    fx.proc().emit("\x1b[32mpong\x1b[0m\r\npar");
    fx.proc().emit("tial\n");
    watch.dispose();
    fx.proc().emit("after\n");
    expect(lines).toEqual(["pong", "partial"]);
  });
});
