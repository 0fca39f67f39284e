import { randomUUID } from "node:crypto";
import { mkdtemp, readFile, readdir, readlink, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ExitInfo, ProcessHandle, ServerSpec } from "./driver";
import { DriverError } from "./driver";
import { describeDriverContract, ECHO_COMMAND } from "./driver-contract";
import { ProcessDriver } from "./process-driver";
import { parseProcStat } from "./process/proc-stat";

const RUN = randomUUID().slice(0, 8);

function makeSpecFactory(baseDir: () => string) {
  return (overrides: Partial<ServerSpec> & { serverId?: string } = {}): ServerSpec => {
    const serverId = overrides.serverId ?? `t-${RUN}-${randomUUID().slice(0, 8)}`;
    return {
      serverId,
      image: "ignored",
      command: ECHO_COMMAND,
      env: {},
      dataDir: path.join(baseDir(), "data", serverId),
      workdir: "/data",
      limits: { memoryMb: 128, cpuPercent: 100, pids: 64 },
      ports: [],
      capabilities: [],
      ...overrides,
      labels: { "berth.test": "1", ...overrides.labels },
    };
  };
}

describe("ProcessDriver", () => {
  let baseDir = "";
  const drivers: ProcessDriver[] = [];
  const newDriver = () => {
    const driver = new ProcessDriver({ stateDir: path.join(baseDir, "state") });
    drivers.push(driver);
    return driver;
  };

  beforeAll(async () => {
    baseDir = await mkdtemp(path.join(tmpdir(), "berth-process-driver-"));
  });

  afterAll(async () => {
    for (const driver of drivers) {
      for (const id of await driver.list()) await driver.destroy(id).catch(() => undefined);
      driver.close();
    }
    if (baseDir) await rm(baseDir, { recursive: true, force: true });
  });

  describeDriverContract("ProcessDriver", async () => {
    const driver = newDriver();
    return {
      driver,
      spec: makeSpecFactory(() => baseDir),
      cleanup: async () => {
        for (const id of await driver.list()) await driver.destroy(id);
      },
      // A host process sees host paths; the agent hands it the folders themselves.
      unsupported: ["mounts"],
    };
  });

  const spec = makeSpecFactory(() => baseDir);

  it("runs in the data folder with the spec's environment and a 120x30 terminal", async () => {
    const driver = newDriver();
    const s = spec({
      command: [
        "sh",
        "-c",
        'echo "cwd=$(pwd) home=$HOME term=$TERM g=$GREETING size=$(stty size)"',
      ],
      env: { GREETING: "hi" },
    });
    await driver.create(s);
    const handle = await driver.attach(s.serverId);
    const output = collect(handle);
    await driver.start(s.serverId);
    await exited(handle);
    expect(output()).toContain(
      `cwd=${s.dataDir} home=${s.dataDir} term=xterm-256color g=hi size=30 120`,
    );
    await driver.destroy(s.serverId);
  });

  it("kills a server over its memory limit and reports it as out of memory", async () => {
    const driver = newDriver();
    const s = spec({
      command: ["sh", "-c", 'echo ready; x=a; while :; do x="$x$x"; done'],
      limits: { memoryMb: 48, cpuPercent: 100, pids: 64 },
    });
    await driver.create(s);
    const handle = await driver.attach(s.serverId);
    await driver.start(s.serverId);
    const exit = await exited(handle, 30_000);
    expect(exit).toEqual({ exitCode: 137, signal: "SIGKILL", oomKilled: true });
    expect(await driver.inspect(s.serverId)).toMatchObject({ running: false, oomKilled: true });

    // The next run starts with a clean slate.
    const again = await driver.attach(s.serverId);
    await driver.start(s.serverId);
    await driver.kill(s.serverId);
    expect(await exited(again)).toEqual({ exitCode: 137, signal: "SIGKILL", oomKilled: false });
    await driver.destroy(s.serverId);
  });

  it("takes the whole process tree down on kill", async () => {
    const driver = newDriver();
    const s = spec({ command: ["sh", "-c", "echo ready; sleep 1000 & sleep 1000 & wait"] });
    await driver.create(s);
    const handle = await driver.attach(s.serverId);
    const output = collect(handle);
    await driver.start(s.serverId);
    await until(() => output().includes("ready"));
    await until(async () => (await sleepers(s.dataDir)).length === 2);

    // A process caught in the middle of exec reads as 0 bytes for an instant.
    await until(async () => ((await driver.stats(s.serverId))?.memoryBytes ?? 0) > 0);
    const stats = await driver.stats(s.serverId);
    expect(stats!.memoryLimitBytes).toBe(128 * 2 ** 20);
    expect(stats).toMatchObject({ rxBytes: 0, txBytes: 0 });

    await driver.kill(s.serverId);
    await until(async () => (await sleepers(s.dataDir)).length === 0, 2_000);
    await driver.destroy(s.serverId);
  });

  it("ends what is left of the server when its main process exits", async () => {
    const driver = newDriver();
    const s = spec({ command: ["sh", "-c", "setsid sleep 1000 & sleep 0.6; exit 0"] });
    await driver.create(s);
    const handle = await driver.attach(s.serverId);
    await driver.start(s.serverId);
    expect(await exited(handle)).toMatchObject({ exitCode: 0 });
    await until(async () => (await sleepers(s.dataDir)).length === 0, 2_000);
    await driver.destroy(s.serverId);
  });

  it("refuses exec as another user and exec in a stopped server", async () => {
    const driver = newDriver();
    const s = spec();
    await driver.create(s);
    await expect(driver.exec(s.serverId, { command: ["true"] })).rejects.toMatchObject({
      code: "CONFLICT",
    });
    await driver.start(s.serverId);
    const error = await driver
      .exec(s.serverId, { command: ["true"], user: "berth-nobody-here" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DriverError);
    expect((error as Error).message).toMatch(/cannot run a command as berth-nobody-here/);
    await driver.destroy(s.serverId);
  });

  it("runs exec in the data folder, mapping the workdir", async () => {
    const driver = newDriver();
    const s = spec({ env: { GREETING: "hi" } });
    await driver.create(s);
    await driver.start(s.serverId);
    const handle = await driver.exec(s.serverId, {
      command: ["sh", "-c", 'echo "cwd=$(pwd) g=$GREETING x=$EXTRA"'],
      cwd: "/data",
      env: { EXTRA: "yes" },
    });
    const output = collect(handle);
    expect(await exited(handle)).toMatchObject({ exitCode: 0 });
    expect(output()).toContain(`cwd=${s.dataDir} g=hi x=yes`);
    await driver.destroy(s.serverId);
  });

  it("says when the command cannot be found, and refuses unsafe ids", async () => {
    const driver = newDriver();
    const s = spec({ command: ["berth-no-such-program"] });
    await driver.create(s);
    await expect(driver.start(s.serverId)).rejects.toMatchObject({
      code: "FAILED",
      message: expect.stringMatching(/berth-no-such-program is not an executable/),
    });
    await expect(driver.create(spec({ serverId: "../etc" }))).rejects.toMatchObject({
      code: "FAILED",
    });
    await expect(driver.start("t-missing")).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(driver.attach("t-missing")).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(driver.destroy("t-missing")).resolves.toBeUndefined();
    await driver.destroy(s.serverId);
  });

  it("keeps records across agent restarts, stopped", async () => {
    const first = newDriver();
    const s = spec();
    await first.create(s);
    const handle = await first.attach(s.serverId);
    await first.start(s.serverId);
    const file = JSON.parse(
      await readFile(path.join(baseDir, "state", `${s.serverId}.json`), "utf8"),
    ) as { run: { pid: number } | null };
    expect(file.run?.pid).toBeGreaterThan(0);

    // A second driver on the same folder stands for the next agent: it knows the server, finds
    // it stopped, and kills the leftover process.
    const second = newDriver();
    expect(await second.list()).toContain(s.serverId);
    expect(await second.inspect(s.serverId)).toMatchObject({ exists: true, running: false });
    expect(await exited(handle)).toMatchObject({ signal: "SIGKILL" });
    await second.destroy(s.serverId);
    await first.destroy(s.serverId);
    expect(await readdir(path.join(baseDir, "state"))).not.toContain(`${s.serverId}.json`);
  });
});

/** Live `sleep 1000` processes whose working directory is `dir` (zombies do not count). */
async function sleepers(dir: string): Promise<number[]> {
  const found: number[] = [];
  for (const name of await readdir("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = parseProcStat(await readFile(`/proc/${name}/stat`, "latin1"));
      if (!stat || stat.state === "Z") continue;
      const cmdline = await readFile(`/proc/${name}/cmdline`, "latin1");
      if (cmdline !== "sleep\u00001000\u0000") continue;
      if ((await readlink(`/proc/${name}/cwd`)) === dir) found.push(stat.pid);
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

function collect(handle: ProcessHandle): () => string {
  let output = "";
  handle.onData((chunk) => (output += chunk));
  return () => output;
}

function exited(handle: ProcessHandle, timeoutMs = 10_000): Promise<ExitInfo> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no exit within ${timeoutMs} ms`)), timeoutMs);
    handle.onExit((exit) => {
      clearTimeout(timer);
      resolve(exit);
    });
  });
}

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
