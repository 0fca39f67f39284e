// Crash supervision through the manager (fake driver, fake clock): restarts on the policy's
// schedule, the crash loop, people taking over, reports, stats and liveness checks.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  ServerCrashEvent,
  ServerStateEvent,
  type LivenessCheck,
  type RestartPolicy,
  type ServerSpecPayload,
  type StatsSample,
} from "@berth/protocol";
import { afterEach, describe, expect, it } from "vitest";
import type { DriverName } from "../drivers/driver";
import { FakeClock, settle } from "../instance/fake-clock";
import { FakeDriver } from "../instance/fake-driver";
import { ServerManager } from "./server-manager";
import { SpecStore } from "./spec-store";
import { DEFAULT_SUPERVISION } from "./test-spec";

const FAST: RestartPolicy = {
  enabled: true,
  delaysMs: [300, 600],
  resetAfterMs: 2_000,
  maxConsecutiveCrashes: 3,
};

function payload(policy: Partial<ServerSpecPayload["policy"]> = {}): ServerSpecPayload {
  return {
    serverId: "s1",
    kind: "game",
    image: "berth/generic:1",
    startup: "./run.sh",
    env: {},
    limits: { memoryMb: 32, cpuPercent: 100, pids: 64 },
    ports: [],
    capabilities: [],
    policy: {
      stopCommand: null,
      donePattern: null,
      stopTimeoutMs: 1000,
      termTimeoutMs: 1000,
      ...DEFAULT_SUPERVISION,
      restart: FAST,
      ...policy,
    },
    runtimes: [],
    codeServer: null,
  };
}

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function setup({
  usage,
  driver: driverName = "process",
}: {
  usage?: (serverId: string) => StatsSample | null;
  driver?: DriverName;
} = {}) {
  const dataDir = await mkdtemp(path.join(tmpdir(), "berth-supervision-"));
  dirs.push(dataDir);
  const clock = new FakeClock();
  const driver = new FakeDriver(clock, driverName);
  const states: ServerStateEvent[] = [];
  const crashes: ServerCrashEvent[] = [];
  const manager = new ServerManager({
    driver,
    images: { ensure: async (image) => image },
    store: new SpecStore({ dir: SpecStore.folderFor(dataDir) }),
    dataDir,
    clock,
    onState: (e) => states.push(e),
    onCrash: (e) => crashes.push(e),
    ...(usage ? { usage } : {}),
  });
  const t0 = clock.now();
  return {
    clock,
    driver,
    manager,
    states,
    crashes,
    t0,
    proc: () => driver.process("s1"),
    starts: () => driver.callsOf("start").map((c) => c.at - t0),
    crash: (exitCode = 1) => driver.process("s1").exit({ exitCode }),
  };
}

describe("restarts after crashes", () => {
  it("restarts after each delay and pauses in error at the third crash in a row", async () => {
    const fx = await setup();
    await fx.manager.provision({ spec: payload(), start: true });
    fx.proc().emit("boom\n");
    fx.crash();
    expect(fx.states.at(-1)).toMatchObject({
      state: "crashed",
      restartAt: fx.t0 + 300,
      reason: "exited unexpectedly (code 1)",
    });
    expect(fx.manager.snapshot("s1")).toMatchObject({ state: "crashed", restartAt: fx.t0 + 300 });

    await fx.clock.advance(299);
    expect(fx.starts()).toEqual([0]);
    await fx.clock.advance(1);
    expect(fx.starts()).toEqual([0, 300]);
    expect(fx.states.slice(-2)).toMatchObject([
      { state: "starting", reason: "automatic restart after a crash", restartAt: null },
      { state: "running" },
    ]);

    await fx.clock.advance(100);
    fx.crash();
    expect(fx.states.at(-1)).toMatchObject({ state: "crashed", restartAt: fx.t0 + 400 + 600 });
    await fx.clock.advance(600);
    expect(fx.starts()).toEqual([0, 300, 1000]);

    await fx.clock.advance(100);
    fx.crash();
    expect(fx.states.slice(-2)).toMatchObject([
      { state: "crashed", restartAt: null },
      { state: "error", reason: "crash loop — auto-restart paused", restartAt: null },
    ]);
    await fx.clock.advance(60_000);
    expect(fx.starts()).toEqual([0, 300, 1000]);

    expect(
      fx.crashes.map((c) => [c.restartAt === null ? null : c.restartAt - fx.t0, c.crashLoop]),
    ).toEqual([
      [300, false],
      [1000, false],
      [null, true],
    ]);
    expect(new Set(fx.crashes.map((c) => c.crashId)).size).toBe(3);
    // What goes on the wire passes the protocol's own schemas.
    for (const crash of fx.crashes) expect(ServerCrashEvent.parse(crash)).toEqual(crash);
    for (const state of fx.states) expect(ServerStateEvent.parse(state)).toEqual(state);
    expect(fx.crashes[0]).toEqual({
      serverId: "s1",
      crashId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      at: fx.t0,
      exitCode: 1,
      signal: null,
      oomKilled: false,
      uptimeMs: 0,
      logTail: ["boom"],
      class: "nonzero_exit",
      matchedRule: "exit:nonzero",
      subject: null,
      suggestion: "The process exited with code 1. The last lines of the log usually say why.",
      restartAt: fx.t0 + 300,
      crashLoop: false,
    });
  });

  it("a server that stayed up long enough starts the count over", async () => {
    const fx = await setup();
    await fx.manager.provision({ spec: payload(), start: true });
    for (let i = 0; i < 4; i++) {
      await fx.clock.advance(2_000);
      fx.crash();
      expect(fx.manager.snapshot("s1")?.restartAt).toBe(fx.clock.now() + 300);
      await fx.clock.advance(300);
    }
    expect(fx.crashes.every((c) => !c.crashLoop)).toBe(true);
  });

  it("a person's start cancels the pending restart and starts the count over", async () => {
    const fx = await setup();
    await fx.manager.provision({ spec: payload(), start: true });
    fx.crash();
    await fx.clock.advance(300);
    fx.crash();
    expect(await fx.manager.power("s1", "start")).toMatchObject({ ok: true });
    await fx.clock.advance(10_000);
    expect(fx.starts()).toEqual([0, 300, 300]);
    fx.crash();
    expect(fx.manager.snapshot("s1")?.restartAt).toBe(fx.clock.now() + 300);
  });

  it("a stop, a kill or a delete ends a pending restart", async () => {
    for (const act of ["stop", "kill", "delete"] as const) {
      const fx = await setup();
      await fx.manager.provision({ spec: payload(), start: true });
      fx.crash();
      if (act === "delete") await fx.manager.delete("s1");
      else expect(await fx.manager.power("s1", act)).toMatchObject({ data: { state: "offline" } });
      await fx.clock.advance(10_000);
      expect(fx.driver.callsOf("start")).toHaveLength(1);
      expect(fx.clock.pending).toBe(0);
    }
  });

  it("after a crash loop, Start again gets the whole policy again", async () => {
    const fx = await setup();
    await fx.manager.provision({ spec: payload(), start: true });
    fx.crash();
    await fx.clock.advance(300);
    fx.crash();
    await fx.clock.advance(600);
    fx.crash();
    expect(fx.manager.snapshot("s1")?.state).toBe("error");
    await fx.manager.power("s1", "start");
    fx.crash();
    expect(fx.manager.snapshot("s1")).toMatchObject({
      state: "crashed",
      restartAt: fx.clock.now() + 300,
    });
  });

  it("with restarts off a crash stays crashed", async () => {
    const fx = await setup();
    await fx.manager.provision({
      spec: payload({ restart: { ...FAST, enabled: false } }),
      start: true,
    });
    fx.crash(0);
    await fx.clock.advance(60_000);
    expect(fx.manager.snapshot("s1")).toMatchObject({ state: "crashed", restartAt: null });
    expect(fx.crashes[0]).toMatchObject({ class: "unexpected_exit", restartAt: null });
  });

  it("a stop command typed into the console is no crash and no restart", async () => {
    const fx = await setup();
    await fx.manager.provision({ spec: payload({ stopCommand: "stop" }), start: true });
    fx.proc().exitOnInput("stop\r", { exitCode: 0 });
    fx.manager.writeConsole("s1", "stop\r");
    await settle();
    expect(fx.manager.snapshot("s1")?.state).toBe("offline");
    await fx.clock.advance(60_000);
    expect(fx.crashes).toEqual([]);
    expect(fx.starts()).toEqual([0]);
  });

  it("dispose drops the pending restart: the agent going away restarts nothing", async () => {
    const fx = await setup();
    await fx.manager.provision({ spec: payload(), start: true });
    fx.crash();
    expect(fx.clock.pending).toBe(1);
    fx.manager.dispose();
    expect(fx.clock.pending).toBe(0);
    await fx.clock.advance(60_000);
    expect(fx.starts()).toEqual([0]);
    expect(fx.clock.pending).toBe(0);
  });
});

describe("crash reports", () => {
  it("use the template's rules before the built-in ones", async () => {
    const fx = await setup();
    const spec = payload({
      crashRules: [
        {
          id: "game.save-corrupt",
          class: "mod_or_plugin_error",
          pattern: String.raw`Save (?<name>\w+) is corrupt`,
          suggestion: "Restore {name} from a backup.",
        },
      ],
    });
    await fx.manager.provision({ spec, start: true });
    fx.proc().emit("java.lang.ClassNotFoundException: x.Y\nSave world2 is corrupt\n");
    fx.crash();
    expect(fx.crashes[0]).toMatchObject({
      class: "mod_or_plugin_error",
      matchedRule: "game.save-corrupt",
      subject: "world2",
      suggestion: "Restore world2 from a backup.",
    });
  });

  it("call exit 137 oom when this run's last sample was at the limit, not an older run's", async () => {
    let sample: StatsSample | null = null;
    const fx = await setup({ usage: () => sample });
    await fx.manager.provision({ spec: payload(), start: true });
    await fx.clock.advance(1_000);
    sample = {
      serverId: "s1",
      at: fx.clock.now(),
      cpuPercent: 50,
      memoryBytes: 33_000_000,
      memoryLimitBytes: 33_554_432,
      rxBytes: 0,
      txBytes: 0,
    };
    fx.crash(137);
    expect(fx.crashes[0]).toMatchObject({ class: "oom", matchedRule: "exit:137+memory" });
    await fx.clock.advance(300);
    fx.crash(137);
    expect(fx.crashes[1]).toMatchObject({ class: "nonzero_exit" });
  });

  it("keep the last 100 lines of output", async () => {
    const fx = await setup();
    await fx.manager.provision({ spec: payload(), start: true });
    fx.proc().emit(Array.from({ length: 150 }, (_, i) => `line ${i}\n`).join(""));
    fx.crash();
    expect(fx.crashes[0]?.logTail).toHaveLength(100);
    expect(fx.crashes[0]?.logTail[0]).toBe("line 50");
    expect(fx.crashes[0]?.logTail.at(-1)).toBe("line 149");
  });
});

describe("liveness checks", () => {
  const consoleCheck: LivenessCheck = {
    kind: "console",
    command: "ping",
    expect: "^pong$",
    initialDelayMs: 5_000,
    intervalMs: 1_000,
    timeoutMs: 500,
    failures: 2,
  };

  it("kill a server that stops answering and count it as a hung crash that restarts", async () => {
    const fx = await setup();
    await fx.manager.provision({ spec: payload({ liveness: consoleCheck }), start: true });
    let answering = true;
    fx.proc().onInput = (data) => {
      if (data === "ping\n" && answering) fx.proc().emit("pong\n");
    };
    await fx.clock.advance(5_000);
    await fx.clock.advance(3_000);
    expect(fx.manager.snapshot("s1")?.state).toBe("running");
    expect(fx.proc().input.filter((i) => i === "ping\n")).toHaveLength(4);

    // Checks at 9 s and 10 s go unanswered; the second one times out at 10.5 s.
    answering = false;
    await fx.clock.advance(2_499);
    expect(fx.manager.snapshot("s1")?.state).toBe("running");
    await fx.clock.advance(1);
    expect(fx.driver.callsOf("kill")).toHaveLength(1);
    expect(fx.manager.snapshot("s1")).toMatchObject({
      state: "crashed",
      restartAt: fx.clock.now() + 300,
    });
    expect(fx.states.at(-1)?.reason).toBe(
      "stopped answering (2 checks failed; last: console (ping → /^pong$/): no answer within 500 ms)",
    );
    expect(fx.crashes).toEqual([
      expect.objectContaining({
        class: "hung",
        matchedRule: "liveness:console",
        signal: "SIGKILL",
        restartAt: fx.clock.now() + 300,
      }),
    ]);
    await fx.clock.advance(300);
    expect(fx.manager.snapshot("s1")?.state).toBe("running");
    expect(fx.driver.callsOf("start")).toHaveLength(2);
  });

  it("check only while running", async () => {
    const fx = await setup();
    await fx.manager.provision({ spec: payload({ liveness: consoleCheck }), start: true });
    await fx.manager.power("s1", "stop");
    await fx.clock.advance(60_000);
    expect(fx.proc().input).toEqual([]);
    expect(fx.crashes).toEqual([]);
    expect(fx.clock.pending).toBe(0);
  });

  it("a tcp check of an unpublished container port is skipped, not failed", async () => {
    const fx = await setup({ driver: "docker" });
    const tcp: LivenessCheck = { ...consoleCheck, kind: "tcp", port: 25565 } as LivenessCheck;
    await fx.manager.provision({ spec: payload({ liveness: tcp }), start: true });
    await fx.clock.advance(60_000);
    expect(fx.manager.snapshot("s1")?.state).toBe("running");
    expect(fx.crashes).toEqual([]);
    expect(fx.clock.pending).toBe(0);
  });
});

describe("liveServers", () => {
  it("lists starting and running servers only", async () => {
    const fx = await setup();
    expect(fx.manager.liveServers()).toEqual([]);
    await fx.manager.provision({ spec: payload({ donePattern: "ready" }), start: true });
    expect(fx.manager.liveServers()).toEqual(["s1"]);
    fx.proc().emit("ready\n");
    expect(fx.manager.liveServers()).toEqual(["s1"]);
    await fx.manager.power("s1", "stop");
    expect(fx.manager.liveServers()).toEqual([]);
  });
});
