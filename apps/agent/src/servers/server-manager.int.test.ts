import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { ServerStateEvent } from "@berth/protocol";
import Docker from "dockerode";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeIf, dockerAvailable } from "../../../../test/require-dependency";
import { DockerDriver } from "../drivers/docker-driver";
import { ProcessDriver } from "../drivers/process-driver";
import { dockerImages, noImages, type ServerImages } from "./server-images";
import { ServerManager } from "./server-manager";
import { serverFolder } from "./spec";
import { SpecStore } from "./spec-store";
import { echoServerSpec } from "./test-spec";

const RUN = randomUUID().slice(0, 8);
const LABELS = { "berth.test": "1", "berth.test.run": RUN };
const quiet = pino({ enabled: false });

const newId = () => `t${RUN}${randomUUID().replaceAll("-", "").slice(0, 8)}`;

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function managerFor(dataDir: string, driver: ProcessDriver | DockerDriver, images: ServerImages) {
  const states: ServerStateEvent[] = [];
  const manager = new ServerManager({
    driver,
    images,
    store: new SpecStore({ dir: SpecStore.folderFor(dataDir) }),
    dataDir,
    labels: LABELS,
    log: quiet,
    onState: (e) => states.push(e),
  });
  const running = (serverId: string) =>
    until(`${serverId} running`, () =>
      manager.snapshot(serverId)?.state === "running" ? true : undefined,
    );
  return { manager, states, running };
}

describe("ServerManager with the process driver", () => {
  let dataDir = "";
  let driver: ProcessDriver;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), "berth-servers-process-"));
    driver = new ProcessDriver({ stateDir: path.join(dataDir, "state", "process") });
  });
  afterAll(async () => {
    driver?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it("provisions, runs until the done line, stops and deletes", async () => {
    const { manager, running } = managerFor(dataDir, driver, noImages);
    const serverId = newId();
    const provisioned = await manager.provision({ spec: echoServerSpec(serverId), start: true });
    expect(provisioned.ok).toBe(true);
    await running(serverId);

    const stopped = await manager.power(serverId, "stop");
    expect(stopped).toMatchObject({ ok: true, data: { state: "offline" } });
    expect((await driver.inspect(serverId)).running).toBe(false);

    expect(await manager.delete(serverId)).toEqual({ ok: true, data: { deleted: true } });
    expect((await driver.inspect(serverId)).exists).toBe(false);
    expect(existsSync(serverFolder(dataDir, serverId))).toBe(false);
    manager.dispose();
  });
});

const describeDocker = describeIf({
  name: "Docker engine",
  available: await dockerAvailable(),
  why: "the server manager is tested against real containers (/var/run/docker.sock)",
});

describeDocker("ServerManager with the Docker driver", () => {
  const docker = new Docker();
  let dataDir = "";

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), "berth-servers-docker-"));
  });
  afterAll(async () => {
    const containers = await docker.listContainers({
      all: true,
      filters: { label: [`berth.test.run=${RUN}`] },
    });
    await Promise.all(
      containers.map((c) =>
        docker
          .getContainer(c.Id)
          .remove({ force: true, v: true })
          .catch(() => undefined),
      ),
    );
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  const images = () => dockerImages({ docker, cacheDir: path.join(dataDir, "cache"), log: quiet });

  it("reattaches after an agent restart without restarting the container", async () => {
    const first = managerFor(dataDir, new DockerDriver({ docker }), images());
    const serverId = newId();
    const provisioned = await first.manager.provision({
      spec: echoServerSpec(serverId),
      start: true,
    });
    expect(provisioned.ok).toBe(true);
    await first.running(serverId);
    const container = docker.getContainer(`berth-${serverId}`);
    const before = await container.inspect();
    expect(before.State.Running).toBe(true);
    expect(before.Config.Labels).toMatchObject({ ...LABELS, "berth.server": serverId });
    // The agent goes away (as after kill -9): nothing is stopped.
    first.manager.dispose();

    const second = managerFor(dataDir, new DockerDriver({ docker }), images());
    await second.manager.boot();
    expect(second.manager.snapshot(serverId)?.state).toBe("running");
    expect(second.states.at(-1)).toMatchObject({
      state: "running",
      reason: "found running after an agent restart",
    });
    const after = await container.inspect();
    expect(after.State.Running).toBe(true);
    expect(after.State.StartedAt).toBe(before.State.StartedAt);
    expect((await second.manager.inventory()).servers).toContainEqual(
      expect.objectContaining({ serverId, state: "running" }),
    );

    // The adopted server is fully driven: it stops on request, and deleting removes the container.
    expect(await second.manager.power(serverId, "stop")).toMatchObject({
      ok: true,
      data: { state: "offline" },
    });
    expect(await second.manager.delete(serverId)).toEqual({ ok: true, data: { deleted: true } });
    await expect(container.inspect()).rejects.toMatchObject({ statusCode: 404 });
    second.manager.dispose();
  });

  it("fails a server whose image is not on the node, at the creating stage", async () => {
    const progress: string[] = [];
    const manager = new ServerManager({
      driver: new DockerDriver({ docker }),
      images: images(),
      store: new SpecStore({ dir: SpecStore.folderFor(dataDir) }),
      dataDir,
      labels: LABELS,
      log: quiet,
      onProgress: (e) => progress.push(`${e.stage}:${e.message ?? ""}`),
    });
    const image = `berth-test-missing/${RUN}:1`;
    const result = await manager.provision({ spec: echoServerSpec(newId(), image), start: true });
    expect(result).toMatchObject({
      ok: false,
      error: { message: `Image ${image} is not on this node (no registry here)` },
    });
    expect(progress.at(-1)).toBe(`failed:Image ${image} is not on this node (no registry here)`);
    manager.dispose();
  });
});
