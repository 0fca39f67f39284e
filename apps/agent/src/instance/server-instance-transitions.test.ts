// Every row of the transition table, driven through a real instance (fake driver, fake clock).
import { describe, expect, it } from "vitest";
import { settle } from "./fake-clock";
import { TRANSITIONS } from "./server-state";
import { setup, type Fixture } from "./test-fixture";

const policy = { stopCommand: "stop", donePattern: "^Done$" };

interface Ctx {
  fx: Fixture;
  installer: { resolve(): void; reject(error: Error): void };
}

function makeCtx(): Ctx {
  return { fx: setup(policy), installer: { resolve() {}, reject() {} } };
}

function beginInstall(ctx: Ctx): void {
  void ctx.fx.instance.install(
    () =>
      new Promise<void>((resolve, reject) => {
        ctx.installer = { resolve, reject };
      }),
  );
}

async function reachStarting({ fx }: Ctx): Promise<void> {
  await fx.instance.start();
}

async function reachRunning(ctx: Ctx): Promise<void> {
  await reachStarting(ctx);
  ctx.fx.proc().emit("Done\n");
}

async function reachStopping(ctx: Ctx): Promise<void> {
  await reachRunning(ctx);
  void ctx.fx.instance.stop();
  await settle();
}

async function reachCrashed(ctx: Ctx): Promise<void> {
  await reachRunning(ctx);
  ctx.fx.proc().exit({ exitCode: 1 });
}

async function reachError({ fx }: Ctx): Promise<void> {
  fx.driver.failNext("start");
  await fx.instance.start();
}

async function reachInstalling(ctx: Ctx): Promise<void> {
  beginInstall(ctx);
  await settle();
}

type Scenario = (ctx: Ctx) => Promise<void>;

/** For each row: get to `from`, then cause `event`. */
const scenarios: Record<string, Scenario> = {
  "offline:install_begin": async (ctx) => beginInstall(ctx),
  "offline:start_requested": async ({ fx }) => void fx.instance.start(),
  "offline:adopted": async ({ fx }) => {
    fx.driver.seedRunning(fx.serverId);
    await fx.instance.adopt();
  },
  "offline:error": async ({ fx }) => {
    fx.driver.seedRunning(fx.serverId);
    fx.driver.failNext("attach");
    await fx.instance.adopt();
  },

  "installing:install_done": async (ctx) => {
    await reachInstalling(ctx);
    ctx.installer.resolve();
  },
  "installing:install_failed": async (ctx) => {
    await reachInstalling(ctx);
    ctx.installer.reject(new Error("download failed"));
  },

  "starting:ready": async (ctx) => {
    await reachStarting(ctx);
    ctx.fx.proc().emit("Done\n");
  },
  "starting:stop_requested": async (ctx) => {
    await reachStarting(ctx);
    void ctx.fx.instance.stop();
  },
  "starting:kill_requested": async (ctx) => {
    await reachStarting(ctx);
    void ctx.fx.instance.kill();
  },
  "starting:exited_unexpectedly": async (ctx) => {
    await reachStarting(ctx);
    ctx.fx.proc().exit({ exitCode: 1 });
  },
  "starting:error": async ({ fx }) => {
    fx.driver.failNext("start");
    await fx.instance.start();
  },

  "running:stop_requested": async (ctx) => {
    await reachRunning(ctx);
    void ctx.fx.instance.stop();
  },
  "running:kill_requested": async (ctx) => {
    await reachRunning(ctx);
    void ctx.fx.instance.kill();
  },
  "running:exited_unexpectedly": async (ctx) => {
    await reachRunning(ctx);
    ctx.fx.proc().exit({ exitCode: 0 });
  },
  "running:liveness_failed": async (ctx) => {
    await reachRunning(ctx);
    await ctx.fx.instance.hang({ check: "console", detail: "no answer" });
  },

  "stopping:kill_requested": async (ctx) => {
    await reachStopping(ctx);
    void ctx.fx.instance.kill();
  },
  "stopping:exited_after_stop": async (ctx) => {
    await reachStopping(ctx);
    ctx.fx.proc().exit({ exitCode: 0 });
  },
  "stopping:error": async (ctx) => {
    await reachStopping(ctx);
    ctx.fx.driver.failNext("stop");
    await ctx.fx.clock.advance(30_000);
  },

  "crashed:start_requested": async (ctx) => {
    await reachCrashed(ctx);
    void ctx.fx.instance.start();
  },
  "crashed:restart_due": async (ctx) => {
    await reachCrashed(ctx);
    void ctx.fx.instance.autoRestart();
  },
  "crashed:crash_loop": async (ctx) => {
    ctx.fx = setup(policy, "s1", () => ({ kind: "crash_loop", reason: "crash loop" }));
    await reachCrashed(ctx);
  },
  "crashed:stop_requested": async (ctx) => {
    await reachCrashed(ctx);
    void ctx.fx.instance.stop();
  },
  "crashed:kill_requested": async (ctx) => {
    await reachCrashed(ctx);
    void ctx.fx.instance.kill();
  },
  "crashed:install_begin": async (ctx) => {
    await reachCrashed(ctx);
    beginInstall(ctx);
  },

  "error:start_requested": async (ctx) => {
    await reachError(ctx);
    void ctx.fx.instance.start();
  },
  "error:stop_requested": async (ctx) => {
    await reachError(ctx);
    void ctx.fx.instance.stop();
  },
  "error:kill_requested": async (ctx) => {
    await reachError(ctx);
    void ctx.fx.instance.kill();
  },
  "error:install_begin": async (ctx) => {
    await reachError(ctx);
    beginInstall(ctx);
  },
};

describe("every legal transition, through the instance", () => {
  it("has a scenario for every row of the table and no other", () => {
    expect(Object.keys(scenarios).sort()).toEqual(
      TRANSITIONS.map((t) => `${t.from}:${t.event}`).sort(),
    );
  });

  it.each(TRANSITIONS.map((t) => [t.from, t.event, t.to] as const))(
    "%s --%s--> %s",
    async (from, event, to) => {
      const ctx = makeCtx();
      await scenarios[`${from}:${event}`]!(ctx);
      await settle();
      expect(
        ctx.fx.changes.map((c) => ({ from: c.from, event: c.event, to: c.to })),
      ).toContainEqual({ from, event, to });
      expect(ctx.fx.warnings()).toEqual([]);
    },
  );
});

describe("illegal transitions through the instance", () => {
  it("are refused, logged, and leave the state as it was", async () => {
    const ctx = makeCtx();
    const { fx } = ctx;
    await reachInstalling(ctx);
    const refusals = await Promise.all([fx.instance.kill()]);
    expect(refusals).toEqual([
      { ok: false, error: { code: "CONFLICT", message: "Server is installing" } },
    ]);
    ctx.installer.resolve();
    await settle();
    const late = await Promise.all([fx.instance.stop(), fx.instance.restart()]);
    expect(late[0]).toEqual({
      ok: false,
      error: { code: "CONFLICT", message: "Server is already offline" },
    });
    expect(late[1]).toMatchObject({ ok: true, data: { state: "starting" } });
    const installWhileStarting = await fx.instance.install(async () => {});
    expect(installWhileStarting).toEqual({
      ok: false,
      error: { code: "CONFLICT", message: "Stop the server before installing it" },
    });
    expect(fx.instance.state).toBe("starting");
    expect(fx.warnings().map((w) => w.obj)).toEqual([
      { from: "installing", event: "kill_requested" },
      { from: "offline", event: "stop_requested" },
      { from: "starting", event: "install_begin" },
    ]);
  });

  it("a done line after the server is running changes nothing", async () => {
    const ctx = makeCtx();
    await reachRunning(ctx);
    ctx.fx.proc().emit("Done\n");
    expect(ctx.fx.changes).toHaveLength(2);
    expect(ctx.fx.warnings()).toEqual([]);
  });
});
