import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { ServerProgressEvent, ServerSpecPayload, ServerStateEvent } from "@berth/protocol";
import { afterEach, describe, expect, it } from "vitest";
import { DriverError } from "../drivers/driver";
import { FakeClock } from "../instance/fake-clock";
import { FakeDriver } from "../instance/fake-driver";
import type { ServerImages } from "./server-images";
import { ServerManager } from "./server-manager";
import { serverFolder } from "./spec";
import { SpecStore } from "./spec-store";
import { DEFAULT_SUPERVISION } from "./test-spec";

function payload(serverId = "s1", overrides: Partial<ServerSpecPayload> = {}): ServerSpecPayload {
  return {
    serverId,
    kind: "game",
    image: "berth/generic:1",
    startup: "./run.sh --port 25565",
    env: { EULA: "true" },
    limits: { memoryMb: 512, cpuPercent: 100, pids: 128 },
    ports: [{ hostPort: 25565, containerPort: 25565, protocol: "tcp" }],
    capabilities: [],
    policy: {
      stopCommand: null,
      donePattern: null,
      stopTimeoutMs: 1000,
      termTimeoutMs: 1000,
      ...DEFAULT_SUPERVISION,
    },
    runtimes: [],
    codeServer: null,
    ...overrides,
  };
}

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

interface Setup {
  dataDir?: string;
  clock?: FakeClock;
  driver?: FakeDriver;
  images?: ServerImages;
}

async function setup(options: Setup = {}) {
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(tmpdir(), "berth-manager-")));
  if (!options.dataDir) dirs.push(dataDir);
  const clock = options.clock ?? new FakeClock();
  const driver = options.driver ?? new FakeDriver(clock);
  const imageCalls: string[] = [];
  const images: ServerImages = options.images ?? {
    ensure: async (image) => {
      imageCalls.push(image);
      return image;
    },
  };
  const progress: ServerProgressEvent[] = [];
  const states: ServerStateEvent[] = [];
  const store = new SpecStore({ dir: SpecStore.folderFor(dataDir) });
  const manager = new ServerManager({
    driver,
    images,
    store,
    dataDir,
    labels: { "berth.test": "1" },
    clock,
    onProgress: (e) => progress.push(e),
    onState: (e) => states.push(e),
  });
  return {
    dataDir,
    clock,
    driver,
    store,
    manager,
    progress,
    states,
    imageCalls,
    stages: () => progress.map((p) => `${p.stage}:${p.percent}`),
    methods: () => driver.calls.map((c) => c.method),
  };
}

describe("ServerManager.provision", () => {
  it("reports the stages in order and ends running", async () => {
    const fx = await setup();
    const result = await fx.manager.provision({ spec: payload(), start: true });
    expect(result).toMatchObject({ ok: true, data: { serverId: "s1", state: "running" } });
    expect(fx.stages()).toEqual([
      "queued:0",
      "creating:20",
      "installing:50",
      "starting:80",
      "ready:100",
    ]);
    expect(fx.imageCalls).toEqual(["berth/generic:1"]);
    const spec = fx.driver.process("s1").spec!;
    expect(spec.command).toEqual(["sh", "-c", "./run.sh --port 25565"]);
    expect(spec.dataDir).toBe(path.join(fx.dataDir, "servers", "s1", "data"));
    expect(spec.workdir).toBe("/data");
    expect(spec.labels).toEqual({ "berth.test": "1" });
    expect(existsSync(spec.dataDir)).toBe(true);
    expect(existsSync(fx.store.fileOf("s1"))).toBe(true);
  });

  it("forwards every state change with its reason", async () => {
    const fx = await setup();
    await fx.manager.provision({ spec: payload(), start: true });
    expect(fx.states.map((s) => s.state)).toEqual(["installing", "offline", "starting", "running"]);
    expect(fx.states.at(-1)).toMatchObject({
      serverId: "s1",
      exit: null,
      reason: "process started (no done pattern)",
    });
  });

  it("is idempotent: the same spec again only reports", async () => {
    const fx = await setup();
    const first = await fx.manager.provision({ spec: payload(), start: true });
    const calls = fx.driver.calls.length;
    fx.progress.length = 0;
    const again = await fx.manager.provision({ spec: payload(), start: true });
    expect(again).toEqual(first);
    expect(fx.driver.calls.length).toBe(calls);
    expect(fx.stages()).toEqual(["ready:100"]);
  });

  it("treats a payload with its keys in another order as the same spec", async () => {
    const fx = await setup();
    await fx.manager.provision({ spec: payload(), start: false });
    const reordered = Object.fromEntries(Object.entries(payload()).reverse()) as ServerSpecPayload;
    const creates = fx.driver.callsOf("create").length;
    await fx.manager.provision({ spec: reordered, start: false });
    expect(fx.driver.callsOf("create").length).toBe(creates);
  });

  it("starts an already provisioned, stopped server when asked to", async () => {
    const fx = await setup();
    await fx.manager.provision({ spec: payload(), start: false });
    expect(fx.methods()).not.toContain("start");
    fx.progress.length = 0;
    const result = await fx.manager.provision({ spec: payload(), start: true });
    expect(result).toMatchObject({ ok: true, data: { state: "running" } });
    expect(fx.stages()).toEqual(["starting:80", "ready:100"]);
    expect(fx.driver.callsOf("start")).toHaveLength(1);
  });

  it("is ready right after create when not asked to start", async () => {
    const fx = await setup();
    const result = await fx.manager.provision({ spec: payload(), start: false });
    expect(result).toMatchObject({ ok: true, data: { state: "offline" } });
    expect(fx.stages()).toEqual(["queued:0", "creating:20", "installing:50", "ready:100"]);
    expect(fx.driver.callsOf("create")).toHaveLength(1);
    expect(fx.driver.callsOf("start")).toHaveLength(0);
  });

  it("reports ready only when the done pattern matches", async () => {
    const fx = await setup();
    const spec = payload("s1", {
      policy: { ...payload().policy, donePattern: "Server ready" },
    });
    const result = await fx.manager.provision({ spec, start: true });
    expect(result).toMatchObject({ ok: true, data: { state: "starting" } });
    expect(fx.stages().at(-1)).toBe("starting:80");
    fx.driver.process("s1").emit("Loading…\nServer ready\n");
    expect(fx.stages().at(-1)).toBe("ready:100");
    expect(fx.manager.snapshot("s1")?.state).toBe("running");
  });

  it("reports failed when the server exits before it is ready", async () => {
    const fx = await setup();
    const spec = payload("s1", { policy: { ...payload().policy, donePattern: "Server ready" } });
    await fx.manager.provision({ spec, start: true });
    fx.driver.process("s1").exit({ exitCode: 3 });
    expect(fx.progress.at(-1)).toMatchObject({
      stage: "failed",
      percent: 80,
      message: "exited unexpectedly (code 3)",
    });
  });

  it("fails at creating when the image cannot be had, and keeps nothing", async () => {
    const fx = await setup({
      images: {
        ensure: async (image) => {
          throw new DriverError(
            "UNAVAILABLE",
            `Image ${image} is not on this node (no registry here)`,
          );
        },
      },
    });
    const result = await fx.manager.provision({
      spec: payload("s1", { image: "example/game:7" }),
      start: true,
    });
    expect(result).toEqual({
      ok: false,
      error: {
        code: "INTERNAL",
        message: "Image example/game:7 is not on this node (no registry here)",
      },
    });
    expect(fx.progress.at(-1)).toMatchObject({
      stage: "failed",
      percent: 20,
      message: "Image example/game:7 is not on this node (no registry here)",
    });
    expect(fx.methods()).toEqual([]);
    expect(existsSync(fx.store.fileOf("s1"))).toBe(false);
    expect((await fx.manager.power("s1", "start")).ok).toBe(false);
  });

  it("reports failed when the driver cannot create the server", async () => {
    const fx = await setup();
    fx.driver.failNext("create", new DriverError("FAILED", "disk full"));
    const result = await fx.manager.provision({ spec: payload(), start: true });
    expect(result).toMatchObject({ ok: false, error: { message: "Install failed: disk full" } });
    expect(fx.progress.at(-1)).toMatchObject({ stage: "failed", percent: 50 });
    expect(fx.manager.snapshot("s1")?.state).toBe("error");

    // A retry with the same spec goes through again.
    const retry = await fx.manager.provision({ spec: payload(), start: true });
    expect(retry).toMatchObject({ ok: true, data: { state: "running" } });
  });

  it("refuses to change the spec of a running server", async () => {
    const fx = await setup();
    await fx.manager.provision({ spec: payload(), start: true });
    const changed = payload("s1", { limits: { memoryMb: 2048, cpuPercent: 200, pids: 256 } });
    const result = await fx.manager.provision({ spec: changed, start: true });
    expect(result).toMatchObject({ ok: false, error: { code: "CONFLICT" } });
  });

  it("recreates a stopped server whose spec changed, keeping its data", async () => {
    const fx = await setup();
    await fx.manager.provision({ spec: payload(), start: false });
    const dataFile = path.join(serverFolder(fx.dataDir, "s1"), "data", "world.dat");
    await writeFile(dataFile, "x");
    const changed = payload("s1", { limits: { memoryMb: 2048, cpuPercent: 200, pids: 256 } });
    const result = await fx.manager.provision({ spec: changed, start: false });
    expect(result.ok).toBe(true);
    expect(fx.methods()).toContain("destroy");
    expect(fx.driver.process("s1").spec?.limits.memoryMb).toBe(2048);
    expect(existsSync(dataFile)).toBe(true);
    const reloaded = await fx.store.loadAll({ info() {}, warn() {}, error() {} });
    expect(reloaded[0]?.limits.memoryMb).toBe(2048);
  });
});

describe("ServerManager.power", () => {
  it("delegates to the instance and returns the snapshot", async () => {
    const fx = await setup();
    await fx.manager.provision({ spec: payload(), start: true });
    const stopped = await fx.manager.power("s1", "stop");
    expect(stopped).toMatchObject({ ok: true, data: { state: "offline" } });
    expect(fx.driver.callsOf("stop")[0]?.detail).toMatchObject({ signal: "SIGTERM" });
    const started = await fx.manager.power("s1", "start");
    expect(started).toMatchObject({ ok: true, data: { state: "running" } });
    const killed = await fx.manager.power("s1", "kill");
    expect(killed).toMatchObject({
      ok: true,
      data: { state: "offline", exit: { signal: "SIGKILL" } },
    });
    expect(fx.driver.callsOf("kill")).toHaveLength(1);
  });

  it("answers NOT_FOUND for a server it does not hold", async () => {
    const fx = await setup();
    expect(await fx.manager.power("nope", "start")).toEqual({
      ok: false,
      error: { code: "NOT_FOUND", message: "Server nope is not on this node" },
    });
  });
});

describe("ServerManager.delete", () => {
  it("kills, destroys and removes the spec and the server's folder", async () => {
    const fx = await setup();
    await fx.manager.provision({ spec: payload(), start: true });
    const folder = serverFolder(fx.dataDir, "s1");
    expect(existsSync(folder)).toBe(true);
    const result = await fx.manager.delete("s1");
    expect(result).toEqual({ ok: true, data: { deleted: true } });
    expect(fx.methods().slice(-3)).toEqual(["kill", "inspect", "destroy"]);
    expect(existsSync(folder)).toBe(false);
    expect(existsSync(fx.store.fileOf("s1"))).toBe(false);
    expect(fx.manager.snapshot("s1")).toBeNull();
    expect((await fx.manager.inventory()).servers).toEqual([]);
  });

  it("answers deleted: false for a server it does not hold", async () => {
    const fx = await setup();
    expect(await fx.manager.delete("nope")).toEqual({ ok: true, data: { deleted: false } });
    expect(fx.methods()).toEqual([]);
  });
});

describe("ServerManager.boot", () => {
  it("adopts a running server without starting it", async () => {
    const first = await setup();
    await first.manager.provision({ spec: payload(), start: true });
    first.manager.dispose();

    // The agent restarts: the driver still has the process, the manager is new.
    const second = await setup({
      dataDir: first.dataDir,
      clock: first.clock,
      driver: first.driver,
    });
    first.driver.calls.length = 0;
    await second.manager.boot();
    expect(second.manager.snapshot("s1")?.state).toBe("running");
    expect(second.methods()).not.toContain("start");
    expect(second.methods()).not.toContain("create");
    expect(second.methods()).not.toContain("stop");
    expect(second.methods()).not.toContain("kill");
    expect(second.methods()).toContain("attach");
    expect(second.states.at(-1)).toMatchObject({
      state: "running",
      reason: "found running after an agent restart",
    });
  });

  it("leaves a server whose process is gone offline, with its last exit", async () => {
    const first = await setup();
    await first.manager.provision({ spec: payload(), start: true });
    first.manager.dispose();
    first.driver.process("s1").exit({ exitCode: 137, signal: "SIGKILL" });

    const second = await setup({
      dataDir: first.dataDir,
      clock: first.clock,
      driver: first.driver,
    });
    await second.manager.boot();
    expect(second.manager.snapshot("s1")).toMatchObject({
      state: "offline",
      exit: { signal: "SIGKILL" },
    });
    // The stored spec is enough to start it again.
    expect(await second.manager.power("s1", "start")).toMatchObject({
      ok: true,
      data: { state: "running" },
    });
  });

  it("skips spec files it cannot read", async () => {
    const fx = await setup();
    await mkdir(fx.store.dir, { recursive: true });
    await writeFile(path.join(fx.store.dir, "broken.json"), "{");
    await writeFile(path.join(fx.store.dir, "s9.json"), JSON.stringify({ spec: payload("s8") }));
    await fx.manager.boot();
    expect((await fx.manager.inventory()).servers).toEqual([]);
  });
});

describe("ServerManager.inventory", () => {
  it("lists its servers, and the driver's servers it has no spec for as unknown", async () => {
    const fx = await setup();
    await fx.manager.provision({ spec: payload("s1"), start: true });
    await fx.manager.provision({ spec: payload("s2"), start: false });
    fx.driver.seedRunning("stray");
    const inventory = await fx.manager.inventory();
    expect(inventory.servers.map((s) => [s.serverId, s.state]).sort()).toEqual([
      ["s1", "running"],
      ["s2", "offline"],
    ]);
    expect(inventory.unknown).toEqual(["stray"]);
    // Reported, never touched.
    expect(fx.driver.calls.filter((c) => c.serverId === "stray")).toEqual([]);
  });

  it("still answers when the driver cannot list", async () => {
    const fx = await setup();
    await fx.manager.provision({ spec: payload("s1"), start: false });
    fx.driver.failNext("list");
    const inventory = await fx.manager.inventory();
    expect(inventory.servers).toHaveLength(1);
    expect(inventory.unknown).toEqual([]);
  });
});

describe("ServerManager.codeServerTarget", () => {
  it("knows no server it does not hold, and no code-server on a server without one", async () => {
    const fx = await setup();
    expect(fx.manager.codeServerTarget("s1")).toEqual({
      ok: false,
      reason: "absent",
      message: "Server s1 is not on this node",
    });
    await fx.manager.provision({ spec: payload(), start: true });
    expect(fx.manager.codeServerTarget("s1")).toEqual({
      ok: false,
      reason: "unavailable",
      message: "This server has no code-server",
    });
  });
});
