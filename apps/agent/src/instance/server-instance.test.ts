import { describe, expect, it } from "vitest";
import { settle } from "./fake-clock";
import { ServerInstance } from "./server-instance";
import { setup, specFor, startServer } from "./test-fixture";

const MINECRAFT_DONE = String.raw`\]: Done \(\d+(\.\d+)?s\)! For help`;

describe("ServerInstance start", () => {
  it("without a done pattern is running as soon as the process started", async () => {
    const fx = setup();
    const result = await fx.instance.start();
    expect(result).toMatchObject({ ok: true, data: { serverId: "s1", state: "running" } });
    expect(fx.path()).toEqual(["offline→starting", "starting→running"]);
    expect(fx.changes[1]?.reason).toBe("process started (no done pattern)");
  });

  it("attaches before it starts, so the first line is seen", async () => {
    const fx = setup();
    await startServer(fx);
    expect(fx.driver.calls.map((c) => c.method)).toEqual(["create", "attach", "start"]);
    expect(fx.proc().spec?.serverId).toBe("s1");
  });

  it("with a done pattern stays starting until a line matches", async () => {
    const fx = setup({ donePattern: MINECRAFT_DONE });
    const result = await fx.instance.start();
    expect(result).toMatchObject({ ok: true, data: { state: "starting" } });
    fx.proc().emit("[12:00:00 INFO]: Preparing spawn area: 40%\n");
    expect(fx.instance.state).toBe("starting");
    fx.proc().emit('[12:00:02 INFO]: Done (2.51s)! For help, type "help"\n');
    expect(fx.instance.state).toBe("running");
    expect(fx.changes.at(-1)?.reason).toMatch(/^done pattern matched: \[12:00:02 INFO\]: Done/);
  });

  it("matches a coloured line", async () => {
    const fx = setup({ donePattern: "^Server ready$" });
    await startServer(fx);
    fx.proc().emit("\x1b[1m\x1b[32mServer ready\x1b[0m\r\n");
    expect(fx.instance.state).toBe("running");
  });

  it("matches a line split across chunks, and a colour code split with it", async () => {
    const fx = setup({ donePattern: "Done \\(" });
    await startServer(fx);
    fx.proc().emit("[INFO]: Do");
    expect(fx.instance.state).toBe("starting");
    fx.proc().emit("\x1b[3");
    fx.proc().emit("2mne (1.0s)!");
    expect(fx.instance.state).toBe("starting");
    fx.proc().emit("\n");
    expect(fx.instance.state).toBe("running");
  });

  it("sees a done line printed while the driver is still starting", async () => {
    const fx = setup({ donePattern: "ready" });
    const release = fx.driver.hold("start");
    const started = fx.instance.start();
    await settle();
    fx.proc().begin();
    fx.proc().emit("ready\n");
    expect(fx.instance.state).toBe("running");
    release();
    expect(await started).toMatchObject({ ok: true, data: { state: "running" } });
    expect(fx.path()).toEqual(["offline→starting", "starting→running"]);
  });

  it("refuses to start with an invalid done pattern and leaves the state alone", async () => {
    const fx = setup({ donePattern: "Done (" });
    const result = await fx.instance.start();
    expect(result).toMatchObject({ ok: false, error: { code: "BAD_REQUEST" } });
    expect(result.ok || result.error.message).toMatch(/^Invalid done pattern/);
    expect(fx.instance.state).toBe("offline");
    expect(fx.driver.calls).toEqual([]);
  });

  it("answers a start of a running server with a clear error, logged as an illegal transition", async () => {
    const fx = setup();
    await startServer(fx);
    const callsBefore = fx.driver.calls.length;
    const result = await fx.instance.start();
    expect(result).toEqual({
      ok: false,
      error: { code: "CONFLICT", message: "Server is already running" },
    });
    expect(fx.instance.state).toBe("running");
    expect(fx.driver.calls.length).toBe(callsBefore);
    expect(fx.warnings()).toEqual([
      {
        level: "warn",
        obj: { from: "running", event: "start_requested" },
        msg: "illegal transition",
      },
    ]);
    expect(fx.changes).toHaveLength(2);
  });

  it("answers a start of a starting server with a clear error", async () => {
    const fx = setup({ donePattern: "never" });
    await startServer(fx);
    expect(await fx.instance.start()).toMatchObject({
      ok: false,
      error: { message: "Server is already starting" },
    });
  });

  it("goes to error when the driver fails, and reports the driver's message", async () => {
    const fx = setup();
    fx.driver.failNext("start");
    const result = await fx.instance.start();
    expect(result).toEqual({
      ok: false,
      error: { code: "INTERNAL", message: "Could not start the server: start failed" },
    });
    expect(fx.path()).toEqual(["offline→starting", "starting→error"]);
    expect(fx.instance.snapshot().lastTransitionReason).toBe("start failed: start failed");
    expect(fx.proc().attached).toBe(0);
    // A retry from error works.
    expect(await fx.instance.start()).toMatchObject({ ok: true, data: { state: "running" } });
  });
});

describe("ServerInstance unexpected exits", () => {
  it("an exit with code 0 while running is a crash", async () => {
    const fx = setup();
    await startServer(fx);
    await fx.clock.advance(5_000);
    fx.proc().emit("saving\nbye\n");
    fx.proc().exit({ exitCode: 0 });
    expect(fx.instance.state).toBe("crashed");
    expect(fx.crashes).toEqual([
      {
        serverId: "s1",
        exit: { exitCode: 0, signal: null, oomKilled: false },
        at: fx.clock.now(),
        uptimeMs: 5_000,
        logTail: ["saving", "bye"],
      },
    ]);
    expect(fx.instance.snapshot()).toMatchObject({
      state: "crashed",
      exit: { exitCode: 0 },
      lastTransitionReason: "exited unexpectedly (code 0)",
    });
  });

  it("records a non-zero code, a signal and an OOM kill", async () => {
    for (const [exit, reason] of [
      [{ exitCode: 1 }, "code 1"],
      [{ signal: "SIGSEGV" }, "signal SIGSEGV"],
      [{ exitCode: 137, oomKilled: true }, "out of memory"],
    ] as const) {
      const fx = setup();
      await startServer(fx);
      fx.proc().exit(exit);
      expect(fx.instance.state).toBe("crashed");
      expect(fx.instance.snapshot().lastTransitionReason).toBe(`exited unexpectedly (${reason})`);
      expect(fx.crashes[0]?.exit).toMatchObject(exit);
    }
  });

  it("an exit while starting is a crash", async () => {
    const fx = setup({ donePattern: "Done" });
    await startServer(fx);
    fx.proc().emit("Exception in thread main\n");
    fx.proc().exit({ exitCode: 1 });
    expect(fx.path()).toEqual(["offline→starting", "starting→crashed"]);
    expect(fx.crashes[0]?.logTail).toEqual(["Exception in thread main"]);
  });

  it("does not restart a crashed server by itself; a start does", async () => {
    const fx = setup();
    await startServer(fx);
    fx.proc().exit({ exitCode: 1 });
    await fx.clock.advance(600_000);
    expect(fx.instance.state).toBe("crashed");
    expect(fx.driver.callsOf("start")).toHaveLength(1);
    expect(await fx.instance.start()).toMatchObject({ ok: true, data: { state: "running" } });
    expect(fx.instance.snapshot().exit).toBeUndefined();
  });

  it("ignores output and exits of a console it has let go of", async () => {
    const fx = setup({ donePattern: "Done" });
    await startServer(fx);
    const first = fx.proc();
    fx.proc().exit({ exitCode: 1 });
    await startServer(fx);
    first.emit("Done\n");
    expect(fx.instance.state).toBe("running");
    expect(fx.crashes).toHaveLength(1);
  });
});

describe("ServerInstance adopt", () => {
  it("attaches to a running server without starting it", async () => {
    const fx = setup({ donePattern: "Done" });
    fx.driver.seedRunning("s1");
    await fx.clock.advance(60_000);
    const result = await fx.instance.adopt();
    expect(result).toMatchObject({ ok: true, data: { state: "running" } });
    expect(fx.driver.callsOf("create", "start", "stop", "kill")).toEqual([]);
    expect(fx.path()).toEqual(["offline→running"]);
    expect(fx.changes[0]?.event).toBe("adopted");
    // It watches the process from now on: an exit is a crash, with the uptime since its start.
    fx.proc().exit({ exitCode: 2 });
    expect(fx.instance.state).toBe("crashed");
    expect(fx.crashes[0]?.uptimeMs).toBe(60_000);
  });

  it("leaves a server that is not running offline", async () => {
    const fx = setup();
    expect(await fx.instance.adopt()).toMatchObject({ ok: true, data: { state: "offline" } });
    const seeded = fx.driver.seedRunning("s1");
    seeded.exit({ exitCode: 3 });
    expect(await fx.instance.adopt()).toMatchObject({
      ok: true,
      data: { state: "offline", exit: { exitCode: 3 } },
    });
    expect(fx.driver.callsOf("attach", "start")).toEqual([]);
    expect(fx.changes).toEqual([]);
  });

  it("stays offline when the process ends between the look and the attach", async () => {
    const fx = setup();
    const p = fx.driver.seedRunning("s1");
    const release = fx.driver.hold("attach");
    const adopted = fx.instance.adopt();
    await settle();
    p.exit({ exitCode: 0 });
    release();
    expect(await adopted).toMatchObject({ ok: true, data: { state: "offline" } });
    expect(fx.crashes).toEqual([]);
    expect(p.attached).toBe(0);
  });

  it("goes to error when it cannot attach", async () => {
    const fx = setup();
    fx.driver.seedRunning("s1");
    fx.driver.failNext("attach");
    expect(await fx.instance.adopt()).toMatchObject({ ok: false, error: { code: "INTERNAL" } });
    expect(fx.path()).toEqual(["offline→error"]);
  });

  it("refuses to adopt a server it already runs", async () => {
    const fx = setup();
    await startServer(fx);
    expect(await fx.instance.adopt()).toMatchObject({
      ok: false,
      error: { message: "Cannot adopt a server that is running" },
    });
    expect(fx.warnings()[0]?.obj).toEqual({ from: "running", event: "adopted" });
  });
});

describe("ServerInstance reporting", () => {
  it("reports every change with from, to, event, time and reason, and logs it", async () => {
    const fx = setup();
    await fx.clock.advance(1_000);
    await startServer(fx);
    expect(fx.changes[0]).toEqual({
      serverId: "s1",
      from: "offline",
      to: "starting",
      event: "start_requested",
      at: fx.clock.now(),
      reason: "start requested",
    });
    expect(fx.instance.snapshot()).toEqual({
      serverId: "s1",
      state: "running",
      since: fx.clock.now(),
      lastTransitionReason: "process started (no done pattern)",
    });
    expect(fx.log.entries.filter((e) => e.msg === "state change").map((e) => e.obj)).toEqual([
      { from: "offline", to: "starting", event: "start_requested", reason: "start requested" },
      {
        from: "starting",
        to: "running",
        event: "ready",
        reason: "process started (no done pattern)",
      },
    ]);
  });

  it("keeps going when a listener throws", async () => {
    const fx = setup();
    const instance = new ServerInstance({
      serverId: "s2",
      driver: fx.driver,
      spec: specFor("s2"),
      policy: {},
      clock: fx.clock,
      log: fx.log,
      onState: () => {
        throw new Error("listener bug");
      },
    });
    expect(await instance.start()).toMatchObject({ ok: true, data: { state: "running" } });
    expect(fx.log.entries.filter((e) => e.msg === "state listener failed")).toHaveLength(2);
  });

  it("dispose detaches and cancels, and leaves the process running", async () => {
    const fx = setup({ stopCommand: "stop" });
    await startServer(fx);
    const stopping = fx.instance.stop();
    const queued = fx.instance.start();
    await settle();
    fx.instance.dispose();
    expect(await stopping).toMatchObject({ ok: false, error: { code: "CONFLICT" } });
    expect(await queued).toEqual({
      ok: false,
      error: {
        code: "CONFLICT",
        message: "Start was cancelled because the agent let go of the server",
      },
    });
    expect(fx.proc().running).toBe(true);
    expect(fx.proc().attached).toBe(0);
    await fx.clock.advance(120_000);
    expect(fx.driver.callsOf("stop", "kill")).toEqual([]);
    expect(await fx.instance.start()).toMatchObject({ ok: false, error: { code: "CONFLICT" } });
    expect(await fx.instance.kill()).toMatchObject({ ok: false, error: { code: "CONFLICT" } });
  });
});
