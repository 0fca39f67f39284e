// Dev containers on a real Docker engine: the dev user and its home, a runtime from a real HTTP
// artifact server on PATH in the same login shell a terminal tab gets, the workspace surviving
// the container's re-creation when the server switches runtime versions, and the store keeping
// only what some server still uses.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { RuntimeArtifact, ServerProgressEvent } from "@berth/protocol";
import Docker from "dockerode";
import pino from "pino";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeIf, dockerAvailable } from "../../../../test/require-dependency";
import { DockerDriver } from "../drivers/docker-driver";
import { runCommand } from "../drivers/run-command";
import { DEV_IMAGE } from "../images/dev-image";
import { RuntimeStore } from "../runtimes/runtime-store";
import {
  helloTarball,
  sha256,
  startArtifactServer,
  type ArtifactServer,
} from "../runtimes/test-artifacts";
import { LOGIN_SHELL, terminalShell } from "./dev-environment";
import { dockerImages } from "./server-images";
import { ServerManager } from "./server-manager";
import { runtimeFolder } from "./spec";
import { SpecStore } from "./spec-store";
import { devServerSpec } from "./test-spec";
import { TEST_CACHE_DIR, devImageAvailable, removeRunContainers, testRun } from "./test-docker";

const { run: RUN, labels: LABELS } = testRun();
const CACHE_DIR = TEST_CACHE_DIR;
const quiet = pino({ enabled: false });

const engine = new Docker();
const hasEngine = await dockerAvailable();
const devImageReady = await devImageAvailable(engine);

describeIf(
  { name: "Docker engine", available: hasEngine, why: "dev containers are real containers" },
  {
    name: `${DEV_IMAGE}, or debootstrap run as root to build it`,
    available: devImageReady,
    why: "dev containers run the dev image",
  },
)("dev containers with Docker", () => {
  let dataDir = "";
  let artifacts: ArtifactServer;
  let manager: ServerManager;
  let driver: DockerDriver;
  let store: RuntimeStore;
  const tarballs = new Map<string, Buffer>();
  const progress: ServerProgressEvent[] = [];

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), "berth-dev-containers-"));
    artifacts = await startArtifactServer();
    for (const version of ["1.0.0", "2.0.0"]) {
      const tarball = await helloTarball(`hello from runtime ${version}`);
      tarballs.set(version, tarball);
      artifacts.serve(`hello-${version}.tar.gz`, tarball);
    }
    driver = new DockerDriver({ docker: engine, log: quiet });
    store = await RuntimeStore.open({ root: runtimeFolder(dataDir) });
    manager = new ServerManager({
      driver,
      images: dockerImages({ docker: engine, cacheDir: CACHE_DIR, log: quiet }),
      store: new SpecStore({ dir: SpecStore.folderFor(dataDir) }),
      runtimes: store,
      dataDir,
      labels: LABELS,
      log: quiet,
      onProgress: (event) => progress.push(event),
    });
  }, 20 * 60_000);

  afterAll(async () => {
    manager?.dispose();
    await removeRunContainers(engine, RUN);
    await artifacts?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  const hello = (version: string): RuntimeArtifact => ({
    name: "hello",
    version,
    url: artifacts.url(`hello-${version}.tar.gz`),
    sha256: sha256(tarballs.get(version)!),
    sizeBytes: tarballs.get(version)!.length,
    binPath: "bin",
  });

  /** Runs `script` in the login shell a terminal tab gets, as that tab's user, and returns its output. */
  async function inLoginShell(serverId: string, script: string): Promise<string> {
    const host = manager.consoleHost(serverId);
    if (!host) throw new Error(`${serverId} is not on the node`);
    const shell = terminalShell("docker", host.spec, { cols: 200, rows: 50 });
    expect(shell.command).toEqual(LOGIN_SHELL);
    const { output, exitCode } = await runCommand(
      driver,
      serverId,
      { ...shell, command: ["bash", "-lc", script] },
      { timeoutMs: 20_000 },
    );
    expect(exitCode).toBe(0);
    return output.replace(/\r/g, "");
  }

  const containerIdOf = async (serverId: string) =>
    (
      await engine.listContainers({
        all: true,
        filters: { label: [`berth.server=${serverId}`] },
      })
    )[0]?.Id;

  async function provisioned(serverId: string, runtimes: RuntimeArtifact[]) {
    progress.length = 0;
    const result = await manager.provision({
      spec: { ...devServerSpec(serverId), runtimes },
      start: true,
    });
    expect(result).toMatchObject({ ok: true });
    const deadline = Date.now() + 60_000;
    while (!progress.some((p) => p.serverId === serverId && p.stage === "ready")) {
      if (Date.now() > deadline) throw new Error(`${serverId} never reported ready`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it(
    "runs as dev in /home/dev, with the runtime on PATH of a login shell, and keeps the workspace across a version switch",
    async () => {
      const serverId = `t${RUN}dev`;
      await provisioned(serverId, [hello("1.0.0")]);

      const first = await inLoginShell(
        serverId,
        'id -un; echo "home=$HOME"; pwd; hello; command -v hello; echo kept > notes.txt',
      );
      expect(first).toContain("dev\n");
      expect(first).toContain("home=/home/dev\n");
      expect(first).toContain("/home/dev/workspace\n");
      expect(first).toContain("hello from runtime 1.0.0");
      expect(first).toContain("/opt/berth/runtimes/hello/bin/hello");
      const before = await containerIdOf(serverId);
      expect(before).toBeDefined();

      // Upgrade: a spec with another version needs a stopped server and gives it a new container.
      expect(await manager.power(serverId, "stop")).toMatchObject({ ok: true });
      await provisioned(serverId, [hello("2.0.0")]);
      const after = await containerIdOf(serverId);
      expect(after).toBeDefined();
      expect(after).not.toBe(before);
      const upgraded = await inLoginShell(serverId, "hello; cat notes.txt");
      expect(upgraded).toContain("hello from runtime 2.0.0");
      expect(upgraded).toContain("kept");
      // 1.0.0 is used by no server any more: gone from the store.
      expect((await store.list()).map((r) => `${r.name}/${r.version}`)).toEqual(["hello/2.0.0"]);

      // Removal: without a runtime, the shell no longer finds it, and the store is empty.
      expect(await manager.power(serverId, "stop")).toMatchObject({ ok: true });
      await provisioned(serverId, []);
      const removed = await inLoginShell(
        serverId,
        "command -v hello || echo 'no hello'; cat notes.txt",
      );
      expect(removed).toContain("no hello");
      expect(removed).toContain("kept");
      expect(await store.list()).toEqual([]);

      expect(await manager.delete(serverId)).toMatchObject({ ok: true, data: { deleted: true } });
    },
    20 * 60_000,
  );
});
