import { randomUUID } from "node:crypto";
import { access, mkdtemp, rm } from "node:fs/promises";
import { homedir, tmpdir } from "node:os";
import path from "node:path";
import Docker from "dockerode";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeIf, dockerAvailable, hasCommand } from "../../../../test/require-dependency";
import { DockerDriver } from "../drivers/docker-driver";
import type { ExitInfo } from "../drivers/driver";
import { BASE_IMAGE, DEV_IMAGE, ensureDevImage } from "./dev-image";
import { inspectImage } from "./image-build";
import { GENERIC_IMAGE, ensureGenericImage, findStaticBusybox } from "./ensure-image";

const RUN = randomUUID().slice(0, 8);
const LABELS = { "berth.test": "1", "berth.test.run": RUN };
// The same cache CI keeps between runs (.ci/run): the Debian rootfs takes about a minute once.
const CACHE_DIR = process.env.BERTH_CACHE_DIR ?? path.join(homedir(), ".cache", "berth");

const docker = { name: "Docker engine", available: await dockerAvailable(), why: "builds images" };

describeIf(docker)("generic image", () => {
  it("is built from the host's static busybox, with its applets and user", async () => {
    expect(await findStaticBusybox()).toMatch(/busybox$/);
    const tag = await ensureGenericImage(new Docker());
    expect(tag).toBe(GENERIC_IMAGE);
    const info = await new Docker().getImage(tag).inspect();
    expect(info.Config).toMatchObject({ User: "1000:1000", WorkingDir: "/data" });
  });
});

describeIf(docker, {
  name: "debootstrap, run as root",
  available:
    (hasCommand("debootstrap") || hasCommand("/usr/sbin/debootstrap")) && process.getuid?.() === 0,
  why: "the dev image's Debian rootfs is made with debootstrap (cached in BERTH_CACHE_DIR)",
})("dev image", () => {
  const engine = new Docker();
  let dataRoot = "";

  beforeAll(async () => {
    dataRoot = await mkdtemp(path.join(tmpdir(), "berth-dev-image-"));
  });

  afterAll(async () => {
    const containers = await engine.listContainers({
      all: true,
      filters: { label: [`berth.test.run=${RUN}`] },
    });
    await Promise.all(
      containers.map((c) =>
        engine
          .getContainer(c.Id)
          .remove({ force: true })
          .catch(() => undefined),
      ),
    );
    if (dataRoot) await rm(dataRoot, { recursive: true, force: true });
  });

  it(
    "builds Debian with the dev user and caches the rootfs",
    { timeout: 20 * 60_000 },
    async () => {
      // The rootfs is made (and cached) only when the engine lacks the base image.
      const hadBase = (await inspectImage(engine, BASE_IMAGE).catch(() => null)) !== null;
      const started = performance.now();
      expect(await ensureDevImage(engine, { cacheDir: CACHE_DIR })).toBe(DEV_IMAGE);
      const firstMs = performance.now() - started;
      const again = performance.now();
      expect(await ensureDevImage(engine, { cacheDir: CACHE_DIR })).toBe(DEV_IMAGE);
      const againMs = performance.now() - again;
      process.stderr.write(
        `[dev-image] ensureDevImage: first call ${(firstMs / 1000).toFixed(1)} s, again ${againMs.toFixed(1)} ms\n`,
      );
      expect(againMs).toBeLessThan(250);
      if (!hadBase) await access(path.join(CACHE_DIR, "debian-rootfs"));

      const driver = new DockerDriver({ docker: engine });
      const serverId = `t-${RUN}-dev`;
      await driver.create({
        serverId,
        image: DEV_IMAGE,
        command: [
          "bash",
          "-lc",
          'echo "user=$(id -un):$(id -u) home=$HOME cwd=$(pwd)"; git --version; touch made-here',
        ],
        env: {},
        dataDir: path.join(dataRoot, serverId),
        workdir: "/home/dev/workspace",
        limits: { memoryMb: 256, cpuPercent: 100, pids: 128 },
        ports: [],
        capabilities: [],
        labels: LABELS,
      });
      const handle = await driver.attach(serverId);
      let output = "";
      handle.onData((chunk) => (output += chunk));
      const exited = new Promise<ExitInfo>((resolve) => handle.onExit(resolve));
      await driver.start(serverId);
      expect(await exited).toMatchObject({ exitCode: 0 });
      expect(output).toContain("user=dev:1000 home=/home/dev cwd=/home/dev/workspace");
      expect(output).toMatch(/git version \d/);
      await access(path.join(dataRoot, serverId, "made-here"));
      await driver.destroy(serverId);
    },
  );
});
