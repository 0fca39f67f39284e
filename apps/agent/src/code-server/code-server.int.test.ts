// The real code-server in a real dev container: built once into a cached artifact (by version),
// served by an HTTP server the test starts, installed through the runtime store, started as the
// dev user, found again by an agent that restarted, started again after it was killed, and
// stopped and started on request.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { CodeServerEvent, ServerProgressEvent, ServerSpecPayload } from "@berth/protocol";
import Docker from "dockerode";
import pino from "pino";
import { afterAll, beforeAll, expect, it } from "vitest";
import {
  ensureCodeServerArtifact,
  type CodeServerArtifact,
} from "../../../../scripts/artifacts/code-server";
import { describeIf, dockerAvailable } from "../../../../test/require-dependency";
import { DockerDriver } from "../drivers/docker-driver";
import { runCommand } from "../drivers/run-command";
import { DEV_IMAGE } from "../images/dev-image";
import { RuntimeStore } from "../runtimes/runtime-store";
import { sha256, startArtifactServer, type ArtifactServer } from "../runtimes/test-artifacts";
import { devEnvironment } from "../servers/dev-environment";
import { dockerImages } from "../servers/server-images";
import { ServerManager } from "../servers/server-manager";
import { runtimeFolder } from "../servers/spec";
import { SpecStore } from "../servers/spec-store";
import { devServerSpec } from "../servers/test-spec";
import { CODE_SERVER_MOUNT, parseScan, scanCommand, stopCommand } from "./commands";
import {
  TEST_CACHE_DIR,
  devImageAvailable,
  removeRunContainers,
  testRun,
} from "../servers/test-docker";

const { run: RUN, labels: LABELS } = testRun();
const CACHE_DIR = TEST_CACHE_DIR;
const quiet = pino({ enabled: false });

const engine = new Docker();
const hasEngine = await dockerAvailable();
const devImageReady = await devImageAvailable(engine);

describeIf(
  { name: "Docker engine", available: hasEngine, why: "code-server runs in a real dev container" },
  {
    name: `${DEV_IMAGE}, or debootstrap run as root to build it`,
    available: devImageReady,
    why: "dev containers run the dev image",
  },
)("code-server in a dev container", () => {
  let dataDir = "";
  let artifact: CodeServerArtifact;
  let artifacts: ArtifactServer;
  let store: RuntimeStore;
  let driver: DockerDriver;
  let manager: ServerManager;
  const progress: ServerProgressEvent[] = [];
  const statuses: CodeServerEvent[] = [];
  const serverId = `t${RUN}ide`;

  const newManager = () =>
    new ServerManager({
      driver,
      images: dockerImages({ docker: engine, cacheDir: CACHE_DIR, log: quiet }),
      store: new SpecStore({ dir: SpecStore.folderFor(dataDir) }),
      runtimes: store,
      dataDir,
      labels: LABELS,
      log: quiet,
      onProgress: (event) => progress.push(event),
      onCodeServer: (event) => statuses.push(event),
      codeServerTimings: { checkEveryMs: 500 },
    });

  beforeAll(async () => {
    // Built with npm on first use (a few minutes), then taken from the cache.
    artifact = await ensureCodeServerArtifact({ cacheDir: CACHE_DIR });
    const body = await readFile(artifact.path);
    expect(sha256(body)).toBe(artifact.sha256);
    artifacts = await startArtifactServer();
    artifacts.serve("code-server.tar.gz", body);
    dataDir = await mkdtemp(path.join(tmpdir(), "berth-code-server-"));
    driver = new DockerDriver({ docker: engine, log: quiet });
    store = await RuntimeStore.open({ root: runtimeFolder(dataDir) });
    manager = newManager();
  }, 30 * 60_000);

  afterAll(async () => {
    manager?.dispose();
    await removeRunContainers(engine, RUN);
    await artifacts?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  const spec = (): ServerSpecPayload => ({
    ...devServerSpec(serverId),
    limits: { memoryMb: 1024, cpuPercent: 200, pids: 512 },
    codeServer: {
      artifact: {
        name: "code-server",
        version: artifact.version,
        url: artifacts.url("code-server.tar.gz"),
        sha256: artifact.sha256,
        sizeBytes: artifact.sizeBytes,
        binPath: artifact.binPath,
      },
      port: 6000,
    },
  });

  async function inContainer(command: string[]) {
    const host = manager.consoleHost(serverId);
    if (!host) throw new Error("server not on the node");
    const { user, cwd, env } = devEnvironment("docker", host.spec);
    const outcome = await runCommand(
      driver,
      serverId,
      { command, cwd, env, ...(user ? { user } : {}) },
      { timeoutMs: 20_000 },
    );
    return { ...outcome, output: outcome.output.replace(/\r/g, "") };
  }

  const codeServerPids = async () =>
    parseScan((await inContainer(scanCommand(CODE_SERVER_MOUNT))).output);

  async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined) {
    const deadline = Date.now() + 240_000;
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  // Installing ~250 MB and code-server's first start, beside other suites on two cores.
  it(
    "provisioning completes only once code-server answers, run by dev on port 6000",
    async () => {
      const result = await manager.provision({ spec: spec(), start: true });
      expect(result).toMatchObject({ ok: true });
      const ready = await until("ready", () =>
        progress.find(
          (p) => p.serverId === serverId && (p.stage === "ready" || p.stage === "failed"),
        ),
      );
      expect(ready, JSON.stringify(progress.slice(-4))).toMatchObject({ stage: "ready" });
      expect(progress.map((p) => p.message)).toContain("Starting code-server");
      // "ready" came after code-server was running, not before.
      const readyIndex = progress.indexOf(ready);
      expect(statuses.filter((s) => s.serverId === serverId).map((s) => s.state)).toEqual([
        "starting",
        "running",
      ]);
      expect(readyIndex).toBeGreaterThan(-1);
      expect(manager.snapshot(serverId)?.codeServer).toMatchObject({ state: "running" });

      const health = await inContainer(["curl", "-fsS", "http://127.0.0.1:6000/healthz"]);
      expect(health.exitCode).toBe(0);
      expect(JSON.parse(health.output)).toHaveProperty("status");
      const page = await inContainer([
        "curl",
        "-fsS",
        "http://127.0.0.1:6000/?folder=/home/dev/workspace",
      ]);
      expect(page.output).toContain("vscode");

      const pids = await codeServerPids();
      expect(pids.length).toBeGreaterThan(0);
      const owners = await inContainer(["ps", "-o", "user=", "-p", pids.join(",")]);
      expect(new Set(owners.output.trim().split(/\s+/))).toEqual(new Set(["dev"]));
      const folders = await inContainer(["ls", "-d", "/home/dev/.local/share/code-server"]);
      expect(folders.exitCode).toBe(0);
    },
    5 * 60_000,
  );

  it(
    "starts code-server again when it dies",
    async () => {
      const before = await codeServerPids();
      statuses.length = 0;
      await inContainer(stopCommand(before, 1));
      await until("code-server running again", async () => {
        const now = await codeServerPids();
        return manager.snapshot(serverId)?.codeServer?.state === "running" &&
          now.length > 0 &&
          !now.some((pid) => before.includes(pid))
          ? true
          : undefined;
      });
      expect(statuses.map((s) => s.state)).toEqual(["starting", "running"]);
    },
    3 * 60_000,
  );

  it(
    "stops and starts on request; a restarted agent takes over the running one",
    async () => {
      expect(await manager.codeServer(serverId, "stop")).toMatchObject({
        ok: true,
        data: { state: "stopped" },
      });
      expect(await codeServerPids()).toEqual([]);
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(await codeServerPids()).toEqual([]);
      expect(
        (await inContainer(["curl", "-fsS", "http://127.0.0.1:6000/healthz"])).exitCode,
      ).not.toBe(0);
      // An agent restart keeps the owner's stop.
      manager.dispose();
      manager = newManager();
      await manager.boot();
      await until("the stop kept", () =>
        manager.snapshot(serverId)?.codeServer?.message === "Stopped by its owner"
          ? true
          : undefined,
      );
      expect(await codeServerPids()).toEqual([]);

      const started = await manager.codeServer(serverId, "start");
      expect(started, JSON.stringify(started)).toMatchObject({
        ok: true,
        data: { state: "running" },
      });
      const running = await codeServerPids();

      // The agent goes away and comes back: the same code-server is found, not started again.
      manager.dispose();
      statuses.length = 0;
      manager = newManager();
      await manager.boot();
      await until("taken over", () =>
        manager.snapshot(serverId)?.codeServer?.state === "running" ? true : undefined,
      );
      expect(statuses.map((s) => s.state)).toEqual(["running"]);
      expect(await codeServerPids()).toEqual(running);

      expect(await manager.delete(serverId)).toMatchObject({ ok: true });
      expect(await store.list()).toEqual([]);
    },
    3 * 60_000,
  );
});
