import { randomUUID } from "node:crypto";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import Docker from "dockerode";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeIf, dockerAvailable } from "../../../../test/require-dependency";
import { ensureGenericImage, GENERIC_IMAGE } from "../images/ensure-image";
import { DockerDriver } from "./docker-driver";
import { SERVER_NETWORK } from "./docker/server-network";
import { runCommand } from "./run-command";
import type { ProcessHandle, ServerSpec } from "./driver";
import { DriverError } from "./driver";
import { describeDriverContract, ECHO_COMMAND } from "./driver-contract";

// Every container made here carries berth.test=1 and this run's id, so the cleanup removes this
// run's containers without touching those of test files running beside it.
const RUN = randomUUID().slice(0, 8);
const LABELS = { "berth.test": "1", "berth.test.run": RUN };
/** Leftovers of crashed runs older than this are removed too. */
const STALE_MS = 15 * 60_000;

const describeDocker = describeIf({
  name: "Docker engine",
  available: await dockerAvailable(),
  why: "the DockerDriver is tested against a real engine (/var/run/docker.sock)",
});

function makeSpecFactory(baseDir: () => string) {
  return (overrides: Partial<ServerSpec> & { serverId?: string } = {}): ServerSpec => {
    const serverId = overrides.serverId ?? `t-${RUN}-${randomUUID().slice(0, 8)}`;
    return {
      serverId,
      image: GENERIC_IMAGE,
      command: ECHO_COMMAND,
      env: {},
      dataDir: path.join(baseDir(), serverId),
      workdir: "/data",
      limits: { memoryMb: 128, cpuPercent: 100, pids: 64 },
      ports: [],
      capabilities: [],
      ...overrides,
      labels: { ...LABELS, ...overrides.labels },
    };
  };
}

async function removeTestContainers(docker: Docker): Promise<void> {
  const containers = await docker.listContainers({
    all: true,
    filters: { label: ["berth.test=1"] },
  });
  const now = Date.now();
  await Promise.all(
    containers
      .filter((c) => c.Labels["berth.test.run"] === RUN || now - c.Created * 1000 > STALE_MS)
      .map((c) =>
        docker
          .getContainer(c.Id)
          .remove({ force: true, v: true })
          .catch(() => undefined),
      ),
  );
}

describeDocker("DockerDriver", () => {
  const docker = new Docker();
  let baseDir = "";
  let buildMs = 0;

  beforeAll(async () => {
    baseDir = await mkdtemp(path.join(tmpdir(), "berth-docker-driver-"));
    const started = performance.now();
    await ensureGenericImage(docker);
    buildMs = performance.now() - started;
  });

  afterAll(async () => {
    await removeTestContainers(docker);
    if (baseDir) await rm(baseDir, { recursive: true, force: true });
  });

  describeDriverContract("DockerDriver", async () => ({
    driver: new DockerDriver({ docker }),
    spec: makeSpecFactory(() => baseDir),
    cleanup: () => removeTestContainers(docker),
  }));

  const spec = makeSpecFactory(() => baseDir);
  const driver = new DockerDriver({ docker });

  it("finds the generic image again cheaply", async () => {
    const started = performance.now();
    expect(await ensureGenericImage(docker)).toBe(GENERIC_IMAGE);
    const ms = performance.now() - started;
    report(`ensureGenericImage: first call ${buildMs.toFixed(0)} ms, again ${ms.toFixed(1)} ms`);
    expect(ms).toBeLessThan(250);
  });

  it("applies limits and hardening to the container and inside it", async () => {
    const s = spec({
      limits: { memoryMb: 64, cpuPercent: 50, pids: 32 },
      capabilities: ["NET_BIND_SERVICE"],
      env: { GREETING: "hi" },
    });
    const createStarted = performance.now();
    await driver.create(s);
    report(`create: ${(performance.now() - createStarted).toFixed(0)} ms`);
    const info = await docker.getContainer(`berth-${s.serverId}`).inspect();
    expect(info.Config.Labels).toMatchObject({ "berth.server": s.serverId, ...LABELS });
    expect(info.Config).toMatchObject({ User: "1000:1000", Tty: true, OpenStdin: true });
    expect(info.Config.Env).toContain("GREETING=hi");
    expect(info.HostConfig).toMatchObject({
      Memory: 64 * 2 ** 20,
      MemorySwap: 64 * 2 ** 20,
      NanoCpus: 500_000_000,
      PidsLimit: 32,
      CapDrop: ["ALL"],
      CapAdd: ["NET_BIND_SERVICE"],
      Privileged: false,
      Init: true,
    });
    expect(info.HostConfig.SecurityOpt).toContain("no-new-privileges");
    expect(info.HostConfig.Binds).toEqual([`${s.dataDir}:/data`]);

    const started = performance.now();
    const server = await driver.attach(s.serverId);
    const ready = waitForText(server, "ready");
    await driver.start(s.serverId);
    await ready;
    const startMs = performance.now() - started;

    const handle = await driver.exec(s.serverId, {
      command: [
        "sh",
        "-c",
        [
          "id -u",
          "grep -E '^(NoNewPrivs|CapEff|CapBnd)' /proc/self/status",
          // cgroup v1 paths first, then v2
          "cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max",
          "cat /sys/fs/cgroup/pids/pids.max 2>/dev/null || cat /sys/fs/cgroup/pids.max",
        ].join("; "),
      ],
    });
    const output = await collectUntilExit(handle);
    server.close();
    expect(output).toMatch(/^1000\r?$/m);
    expect(output).toMatch(/NoNewPrivs:\s+1/);
    // Only NET_BIND_SERVICE is left in the bounding set; a non-root user holds none effectively.
    expect(output).toMatch(/CapBnd:\s+0000000000000400/);
    expect(output).toMatch(/CapEff:\s+0{16}/);
    expect(output).toMatch(new RegExp(`^${64 * 2 ** 20}\\r?$`, "m"));
    expect(output).toMatch(/^32\r?$/m);
    report(`attach→start→first output: ${startMs.toFixed(0)} ms`);
  });

  it("puts servers on a network where they cannot reach each other, but the node reaches them", async () => {
    const listening = spec({ command: ["httpd", "-f", "-p", "8080", "-h", "/bin"] });
    const probing = spec({ command: ["sleep", "600"] });
    for (const s of [listening, probing]) {
      await driver.create(s);
      await driver.start(s.serverId);
    }
    const network = await docker.getNetwork(SERVER_NETWORK).inspect();
    expect(network.Options).toMatchObject({ "com.docker.network.bridge.enable_icc": "false" });
    const address = await driver.address(listening.serverId);
    expect(address).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    // From the node: the port answers (httpd's 404 for a folder without an index).
    expect((await fetch(`http://${address}:8080/`)).status).toBe(404);
    // From the other server: nothing answers.
    const probe = await runCommand(
      driver,
      probing.serverId,
      {
        command: [
          "sh",
          "-c",
          `echo | nc -w 2 ${address} 8080 >/dev/null 2>&1 && echo REACHED || echo BLOCKED`,
        ],
      },
      { timeoutMs: 10_000 },
    );
    expect(probe.output).toContain("BLOCKED");
  });

  it("publishes ports", async () => {
    const hostPort = await freePort();
    const s = spec({
      command: [
        "sh",
        "-c",
        "echo port-ok > index.html; echo ready; exec httpd -f -p 8080 -h /data",
      ],
      ports: [{ hostPort, containerPort: 8080, protocol: "tcp" }],
    });
    await driver.create(s);
    await driver.start(s.serverId);
    const body = await retry(async () => {
      const response = await fetch(`http://127.0.0.1:${hostPort}/index.html`);
      return response.text();
    });
    expect(body.trim()).toBe("port-ok");
  });

  it("bind-mounts the data folder, writable by the container user", async () => {
    const s = spec({
      command: ["sh", "-c", "cat from-host.txt > copy.txt && echo written > from-container.txt"],
    });
    await driver.create(s);
    await writeFile(path.join(s.dataDir, "from-host.txt"), "host-data\n");
    const server = await driver.attach(s.serverId);
    await driver.start(s.serverId);
    const exit = await new Promise((resolve) => server.onExit(resolve));
    expect(exit).toMatchObject({ exitCode: 0 });
    expect(await readFile(path.join(s.dataDir, "copy.txt"), "utf8")).toBe("host-data\n");
    expect(await readFile(path.join(s.dataDir, "from-container.txt"), "utf8")).toBe("written\n");
    expect((await stat(path.join(s.dataDir, "from-container.txt"))).uid).toBe(1000);
  });

  it("reattaches to a running container from a new driver (agent restart)", async () => {
    const s = spec();
    await driver.create(s);
    const first = await driver.attach(s.serverId);
    const ready = waitForText(first, "ready");
    await driver.start(s.serverId);
    await ready;
    first.close();

    const restarted = new DockerDriver({ docker: new Docker() });
    expect(await restarted.list()).toContain(s.serverId);
    expect(await restarted.inspect(s.serverId)).toMatchObject({ running: true });
    const again = await restarted.attach(s.serverId);
    const seen = waitForText(again, "got:after-restart");
    again.write("after-restart\n");
    await seen;
    const exited = new Promise((resolve) => again.onExit(resolve));
    await restarted.kill(s.serverId);
    expect(await exited).toMatchObject({ exitCode: 137, signal: "SIGKILL", oomKilled: false });
  });

  it("passes control keys through instead of detaching on ctrl-p ctrl-q", async () => {
    const s = spec();
    await driver.create(s);
    const server = await driver.attach(s.serverId);
    const ready = waitForText(server, "ready");
    await driver.start(s.serverId);
    await ready;
    const seen = waitForText(server, "got:\x10after");
    server.write("\x10\x11after\n");
    await seen;
    server.close();
  });

  it("refuses to run a command in a stopped server", async () => {
    const s = spec();
    await driver.create(s);
    await expect(driver.exec(s.serverId, { command: ["true"] })).rejects.toMatchObject({
      code: "CONFLICT",
      message: `Server ${s.serverId} is not running`,
    });
  });

  it("fails a start whose host port is taken, saying which port", async () => {
    const hostPort = await freePort();
    const ports = [{ hostPort, containerPort: 8080, protocol: "tcp" as const }];
    const first = spec({ ports });
    const second = spec({ ports });
    await driver.create(first);
    await driver.create(second);
    await driver.start(first.serverId);
    const error = await driver.start(second.serverId).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DriverError);
    expect(error).toMatchObject({
      code: "CONFLICT",
      message: `Port ${hostPort} is already in use on this node.`,
    });
  });

  it("says when the image is missing", async () => {
    const s = spec({ image: "berth/not-built-here:0" });
    const error = await driver.create(s).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DriverError);
    expect(error).toMatchObject({ code: "UNAVAILABLE" });
    expect((error as Error).message).toMatch(/^Image berth\/not-built-here:0 is not on this node/);
  });

  it("refuses server ids that cannot name a container", async () => {
    await expect(driver.create(spec({ serverId: "../etc" }))).rejects.toMatchObject({
      code: "FAILED",
    });
  });

  it("reports a missing server on start, stop and attach", async () => {
    await expect(driver.start("t-missing")).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(
      driver.stop("t-missing", { signal: "SIGTERM", timeoutMs: 100 }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(driver.attach("t-missing")).rejects.toMatchObject({
      code: "NOT_FOUND",
      message: "Server t-missing has no container on this node",
    });
    await expect(driver.destroy("t-missing")).resolves.toBeUndefined();
  });
});

/** Timings worth seeing in the run's output. */
function report(line: string): void {
  process.stderr.write(`[docker-driver] ${line}\n`);
}

function waitForText(handle: ProcessHandle, text: string, timeoutMs = 10_000): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(
      () => reject(new Error(`no ${JSON.stringify(text)} within ${timeoutMs} ms:\n${output}`)),
      timeoutMs,
    );
    const sub = handle.onData((chunk) => {
      output += chunk;
      if (output.includes(text)) {
        clearTimeout(timer);
        sub.dispose();
        resolve();
      }
    });
  });
}

function collectUntilExit(handle: ProcessHandle, timeoutMs = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => reject(new Error(`no exit within ${timeoutMs} ms`)), timeoutMs);
    handle.onData((chunk) => (output += chunk));
    handle.onExit(() => {
      clearTimeout(timer);
      resolve(output);
    });
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

async function retry<T>(fn: () => Promise<T>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
