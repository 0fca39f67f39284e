import { describe, expect, it } from "vitest";
import { DriverError, type StopOptions } from "../drivers/driver";
import { settle } from "./fake-clock";
import { setup, startServer, type Fixture } from "./test-fixture";

/** The stop-related things that happened, as [ms since `t0`, what]. */
function timeline(fx: Fixture, t0: number): Array<[number, string]> {
  return fx.driver.callsOf("write", "stop", "kill").map((c) => {
    if (c.method === "write") return [c.at - t0, `write ${JSON.stringify(c.detail)}`];
    if (c.method === "kill") return [c.at - t0, "kill"];
    const { signal, timeoutMs } = c.detail as StopOptions;
    return [c.at - t0, `stop ${signal} ${timeoutMs}`];
  });
}

describe("ServerInstance stop", () => {
  it("escalates: stop command, 30 s, SIGTERM, 10 s, SIGKILL; then offline, not crashed", async () => {
    const fx = setup({ stopCommand: "stop" });
    await startServer(fx);
    fx.proc().ignoreSigterm = true;
    const t0 = fx.clock.now();
    const stopped = fx.instance.stop();
    await settle();
    expect(fx.instance.state).toBe("stopping");
    expect(timeline(fx, t0)).toEqual([[0, 'write "stop\\n"']]);

    await fx.clock.advance(29_999);
    expect(fx.driver.callsOf("stop")).toEqual([]);
    await fx.clock.advance(1);
    expect(timeline(fx, t0)).toEqual([
      [0, 'write "stop\\n"'],
      [30_000, "stop SIGTERM 10000"],
    ]);
    await fx.clock.advance(9_999);
    expect(fx.driver.callsOf("kill")).toEqual([]);
    await fx.clock.advance(1);

    expect(await stopped).toMatchObject({
      ok: true,
      data: { state: "offline", exit: { signal: "SIGKILL" } },
    });
    expect(timeline(fx, t0)).toEqual([
      [0, 'write "stop\\n"'],
      [30_000, "stop SIGTERM 10000"],
      [40_000, "kill"],
    ]);
    expect(fx.path()).toEqual([
      "offline→starting",
      "starting→running",
      "running→stopping",
      "stopping→offline",
    ]);
    expect(fx.crashes).toEqual([]);
    expect(fx.clock.pending).toBe(0);
  });

  it("uses the template's timeouts", async () => {
    const fx = setup({ stopCommand: "quit", stopTimeoutMs: 5_000, termTimeoutMs: 2_000 });
    await startServer(fx);
    fx.proc().ignoreSigterm = true;
    const t0 = fx.clock.now();
    const stopped = fx.instance.stop();
    await fx.clock.advance(7_000);
    expect(await stopped).toMatchObject({ ok: true, data: { state: "offline" } });
    expect(timeline(fx, t0)).toEqual([
      [0, 'write "quit\\n"'],
      [5_000, "stop SIGTERM 2000"],
      [7_000, "kill"],
    ]);
  });

  it("never sends SIGTERM to a process that exits on the stop command", async () => {
    const fx = setup({ stopCommand: "stop" });
    await startServer(fx);
    fx.proc().exitOnInput("stop\n", { exitCode: 0 });
    const stopped = fx.instance.stop();
    expect(await stopped).toMatchObject({
      ok: true,
      data: { state: "offline", exit: { exitCode: 0, signal: null } },
    });
    await fx.clock.advance(60_000);
    expect(fx.driver.callsOf("stop", "kill")).toEqual([]);
    expect(fx.crashes).toEqual([]);
    expect(fx.instance.snapshot().lastTransitionReason).toBe("exited after stop (code 0)");
    expect(fx.clock.pending).toBe(0);
  });

  it("records the stop before anything can exit: an exit during the wait is not a crash", async () => {
    const fx = setup({ stopCommand: "stop" });
    await startServer(fx);
    const stopped = fx.instance.stop();
    expect(fx.instance.state).toBe("stopping");
    await fx.clock.advance(12_000);
    fx.proc().exit({ exitCode: 1 });
    expect(fx.instance.state).toBe("offline");
    expect(await stopped).toMatchObject({ ok: true, data: { state: "offline" } });
    expect(fx.crashes).toEqual([]);
  });

  it("without a stop command starts at SIGTERM, and stops there when it is obeyed", async () => {
    const fx = setup();
    await startServer(fx);
    const t0 = fx.clock.now();
    expect(await fx.instance.stop()).toMatchObject({
      ok: true,
      data: { state: "offline", exit: { signal: "SIGTERM" } },
    });
    expect(timeline(fx, t0)).toEqual([[0, "stop SIGTERM 10000"]]);
  });

  it("settles on the driver's word when the console reports the exit late", async () => {
    const fx = setup();
    await startServer(fx);
    const p = fx.proc();
    p.deferExitEvents = true;
    expect(await fx.instance.stop()).toMatchObject({ ok: true, data: { state: "offline" } });
    p.flushExitEvents();
    expect(fx.instance.state).toBe("offline");
    expect(fx.crashes).toEqual([]);
    expect(fx.path().slice(-1)).toEqual(["stopping→offline"]);
  });

  it("stops a server that is still starting", async () => {
    const fx = setup({ donePattern: "Done", stopCommand: "stop" });
    await startServer(fx);
    fx.proc().exitOnInput("stop\n");
    expect(await fx.instance.stop()).toMatchObject({ ok: true, data: { state: "offline" } });
    expect(fx.path()).toEqual(["offline→starting", "starting→stopping", "stopping→offline"]);
  });

  it("answers a stop of an offline server with a clear error", async () => {
    const fx = setup();
    expect(await fx.instance.stop()).toEqual({
      ok: false,
      error: { code: "CONFLICT", message: "Server is already offline" },
    });
    expect(fx.warnings()[0]?.obj).toEqual({ from: "offline", event: "stop_requested" });
  });

  it("settles a crashed server to offline without touching the driver", async () => {
    const fx = setup();
    await startServer(fx);
    fx.proc().exit({ exitCode: 1 });
    const calls = fx.driver.calls.length;
    expect(await fx.instance.stop()).toMatchObject({ ok: true, data: { state: "offline" } });
    expect(fx.driver.calls.length).toBe(calls);
  });

  it("goes to error when the driver fails to stop, and a later stop finishes the job", async () => {
    const fx = setup();
    await startServer(fx);
    fx.driver.failNext("stop", new DriverError("UNAVAILABLE", "engine went away"));
    expect(await fx.instance.stop()).toEqual({
      ok: false,
      error: { code: "INTERNAL", message: "Could not stop the server: engine went away" },
    });
    expect(fx.instance.state).toBe("error");
    expect(fx.proc().running).toBe(true);
    expect(await fx.instance.stop()).toMatchObject({ ok: true, data: { state: "offline" } });
    expect(fx.path().slice(-3)).toEqual(["stopping→error", "error→stopping", "stopping→offline"]);
  });

  it("from error, a stop of a process that is not running only settles the state", async () => {
    const fx = setup();
    fx.driver.failNext("start");
    await fx.instance.start();
    expect(await fx.instance.stop()).toMatchObject({ ok: true, data: { state: "offline" } });
    expect(fx.driver.callsOf("stop", "kill")).toEqual([]);
  });
});

describe("ServerInstance kill", () => {
  it("skips the queue and preempts a stop that is waiting for the stop command", async () => {
    const fx = setup({ stopCommand: "stop" });
    await startServer(fx);
    const t0 = fx.clock.now();
    const stopped = fx.instance.stop();
    await fx.clock.advance(5_000);
    const killed = fx.instance.kill();
    await settle();
    expect(timeline(fx, t0)).toEqual([
      [0, 'write "stop\\n"'],
      [5_000, "kill"],
    ]);
    expect(await killed).toMatchObject({
      ok: true,
      data: { state: "offline", exit: { signal: "SIGKILL" } },
    });
    expect(await stopped).toEqual({
      ok: false,
      error: { code: "CONFLICT", message: "Stop was interrupted by a kill" },
    });
    await fx.clock.advance(60_000);
    expect(fx.driver.callsOf("stop")).toEqual([]);
    expect(fx.path().slice(-3)).toEqual([
      "running→stopping",
      "stopping→stopping",
      "stopping→offline",
    ]);
    expect(fx.changes.at(-2)?.reason).toBe("kill requested");
    expect(fx.crashes).toEqual([]);
    expect(fx.clock.pending).toBe(0);
  });

  it("cuts a SIGTERM wait short", async () => {
    const fx = setup();
    await startServer(fx);
    fx.proc().ignoreSigterm = true;
    const stopped = fx.instance.stop();
    await fx.clock.advance(3_000);
    expect(await fx.instance.kill()).toMatchObject({ ok: true, data: { state: "offline" } });
    expect(await stopped).toMatchObject({ ok: false, error: { message: /interrupted by a kill/ } });
    expect(fx.driver.callsOf("kill")).toHaveLength(1);
  });

  it("cancels the actions that were queued before it", async () => {
    const fx = setup({ stopCommand: "stop" });
    await startServer(fx);
    const stopped = fx.instance.stop();
    const started = fx.instance.start();
    await settle();
    const killed = fx.instance.kill();
    expect(await started).toEqual({
      ok: false,
      error: { code: "CONFLICT", message: "Start was cancelled by a kill" },
    });
    expect(await killed).toMatchObject({ ok: true, data: { state: "offline" } });
    await stopped;
    expect(fx.driver.callsOf("start")).toHaveLength(1);
  });

  it("kills a running server at once", async () => {
    const fx = setup({ stopCommand: "stop" });
    await startServer(fx);
    expect(await fx.instance.kill()).toMatchObject({ ok: true, data: { state: "offline" } });
    expect(fx.driver.callsOf("write", "stop")).toEqual([]);
    expect(fx.path().slice(-2)).toEqual(["running→stopping", "stopping→offline"]);
    expect(fx.crashes).toEqual([]);
  });

  it("interrupts a start that is still in the driver's hands, and kills what it started", async () => {
    const fx = setup();
    const release = fx.driver.hold("start");
    const started = fx.instance.start();
    await settle();
    const killed = fx.instance.kill();
    await settle();
    release();
    expect(await started).toEqual({
      ok: false,
      error: { code: "CONFLICT", message: "Start was interrupted by a kill" },
    });
    expect(await killed).toMatchObject({ ok: true, data: { state: "offline" } });
    expect(fx.proc().running).toBe(false);
    expect(fx.crashes).toEqual([]);
  });

  it("kills from error, also when the driver has nothing to kill", async () => {
    const fx = setup();
    fx.driver.failNext("create");
    await fx.instance.start();
    expect(fx.instance.state).toBe("error");
    fx.driver.failNext("kill", new DriverError("NOT_FOUND", "No such container"));
    expect(await fx.instance.kill()).toMatchObject({ ok: true, data: { state: "offline" } });
    expect(fx.path().slice(-2)).toEqual(["error→stopping", "stopping→offline"]);
  });

  it("goes to error when the kill itself fails", async () => {
    const fx = setup();
    await startServer(fx);
    fx.driver.failNext("kill", new DriverError("UNAVAILABLE", "engine went away"));
    expect(await fx.instance.kill()).toEqual({
      ok: false,
      error: { code: "INTERNAL", message: "Could not kill the server: engine went away" },
    });
    expect(fx.instance.state).toBe("error");
  });

  it("answers a kill of an offline server with a clear error", async () => {
    const fx = setup();
    expect(await fx.instance.kill()).toEqual({
      ok: false,
      error: { code: "CONFLICT", message: "Server is already offline" },
    });
    expect(fx.driver.calls).toEqual([]);
  });

  it("shares one kill between two requests", async () => {
    const fx = setup();
    await startServer(fx);
    const [a, b] = [fx.instance.kill(), fx.instance.kill()];
    expect(b).toBe(a);
    await a;
    expect(fx.driver.callsOf("kill")).toHaveLength(1);
  });
});

describe("ServerInstance power queue", () => {
  it("a start while a stop is running waits its turn", async () => {
    const fx = setup({ stopCommand: "stop" });
    await startServer(fx);
    const t0 = fx.clock.now();
    const stopped = fx.instance.stop();
    const started = fx.instance.start();
    await fx.clock.advance(10_000);
    expect(fx.driver.callsOf("start")).toHaveLength(1);
    fx.proc().exit({ exitCode: 0 });
    expect(await stopped).toMatchObject({ ok: true, data: { state: "offline" } });
    expect(await started).toMatchObject({ ok: true, data: { state: "running" } });
    const starts = fx.driver.callsOf("start");
    expect(starts.map((c) => c.at - t0)).toEqual([0, 10_000]);
    expect(fx.path().slice(2)).toEqual([
      "running→stopping",
      "stopping→offline",
      "offline→starting",
      "starting→running",
    ]);
  });

  it("coalesces a repeated stop into one", async () => {
    const fx = setup({ stopCommand: "stop" });
    await startServer(fx);
    fx.proc().ignoreSigterm = true;
    const first = fx.instance.stop();
    const started = fx.instance.start();
    const second = fx.instance.stop();
    const third = fx.instance.stop();
    expect(third).toBe(second);
    expect(second).not.toBe(first);
    await fx.clock.advance(40_000);
    expect(await first).toMatchObject({ ok: true });
    expect(await started).toMatchObject({ ok: true, data: { state: "running" } });
    await fx.clock.advance(40_000);
    expect(await second).toMatchObject({ ok: true, data: { state: "offline" } });
  });

  it("restart stops, then starts, in one turn", async () => {
    const fx = setup({ stopCommand: "stop", donePattern: "Done" });
    await startServer(fx);
    fx.proc().emit("Done\n");
    fx.proc().exitOnInput("stop\n");
    const restarted = fx.instance.restart();
    const stopped = fx.instance.stop();
    expect(await restarted).toMatchObject({ ok: true, data: { state: "starting" } });
    expect(await stopped).toMatchObject({ ok: true, data: { state: "offline" } });
    // The stop queued behind the restart came after both of its halves.
    expect(fx.path().slice(2)).toEqual([
      "running→stopping",
      "stopping→offline",
      "offline→starting",
      "starting→stopping",
      "stopping→offline",
    ]);
    expect(fx.driver.callsOf("start")).toHaveLength(2);
  });

  it("restart waits for the done line like a start", async () => {
    const fx = setup({ donePattern: "Done" });
    await startServer(fx);
    fx.proc().emit("Done\n");
    expect(await fx.instance.restart()).toMatchObject({ ok: true, data: { state: "starting" } });
    fx.proc().emit("Done\n");
    expect(fx.instance.state).toBe("running");
    expect(fx.crashes).toEqual([]);
  });

  it("restart of a stopped server starts it", async () => {
    const fx = setup();
    expect(await fx.instance.restart()).toMatchObject({ ok: true, data: { state: "running" } });
    expect(fx.driver.callsOf("stop", "kill")).toEqual([]);
  });
});
