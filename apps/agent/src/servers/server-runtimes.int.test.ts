// A dev server provisioned with a runtime, on the process driver: the artifact comes from a real
// HTTP server on port 0, lands in the node's runtime store, and a shell beside the server finds
// its binary on PATH. A wrong sha256 fails provisioning before anything of the server exists.
import { randomUUID } from "node:crypto";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { RuntimeArtifact, ServerProgressEvent } from "@berth/protocol";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ExecHandle } from "../drivers/driver";
import { ProcessDriver } from "../drivers/process-driver";
import { RuntimeStore } from "../runtimes/runtime-store";
import {
  helloTarball,
  sha256,
  startArtifactServer,
  type ArtifactServer,
} from "../runtimes/test-artifacts";
import { devEnvironment } from "./dev-environment";
import { noImages } from "./server-images";
import { ServerManager } from "./server-manager";
import { runtimeFolder, serverFolder } from "./spec";
import { SpecStore } from "./spec-store";
import { devServerSpec } from "./test-spec";

const RUN = randomUUID().slice(0, 8);
const newId = () => `t${RUN}${randomUUID().replaceAll("-", "").slice(0, 8)}`;
const quiet = pino({ enabled: false });

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Everything the exec'd process printed, once it has exited. */
function outputOf(handle: ExecHandle): Promise<string> {
  let output = "";
  handle.onData((chunk) => {
    output += chunk;
  });
  return new Promise((resolve) => handle.onExit(() => resolve(output)));
}

describe("dev server runtimes with the process driver", () => {
  let dataDir = "";
  let driver: ProcessDriver;
  let artifacts: ArtifactServer;
  let manager: ServerManager;
  let tarball: Buffer;
  const progress: ServerProgressEvent[] = [];

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), "berth-server-runtimes-"));
    driver = new ProcessDriver({ stateDir: path.join(dataDir, "state", "process") });
    artifacts = await startArtifactServer();
    tarball = await helloTarball("hello from the runtime");
    artifacts.serve("hello.tar.gz", tarball);
    manager = new ServerManager({
      driver,
      images: noImages,
      store: new SpecStore({ dir: SpecStore.folderFor(dataDir) }),
      runtimes: await RuntimeStore.open({ root: runtimeFolder(dataDir) }),
      dataDir,
      log: quiet,
      onProgress: (event) => progress.push(event),
    });
  });

  afterAll(async () => {
    manager?.dispose();
    for (const id of (await driver?.list()) ?? []) await driver.destroy(id);
    driver?.close();
    await artifacts?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  const hello = (overrides: Partial<RuntimeArtifact> = {}): RuntimeArtifact => ({
    name: "hello",
    version: "1.0.0",
    url: artifacts.url("hello.tar.gz"),
    sha256: sha256(tarball),
    sizeBytes: tarball.length,
    binPath: "bin",
    ...overrides,
  });

  it("installs the runtime, reports it, and a shell beside the server runs it from PATH", async () => {
    const serverId = newId();
    const provisioned = await manager.provision({
      spec: { ...devServerSpec(serverId), runtimes: [hello()] },
      start: true,
    });
    expect(provisioned).toMatchObject({ ok: true });
    await until("ready", () =>
      progress.find((p) => p.serverId === serverId && p.stage === "ready"),
    );
    const installing = progress.filter((p) => p.serverId === serverId && p.stage === "installing");
    expect(installing.map((p) => p.message)).toEqual(
      expect.arrayContaining([
        "Installing hello 1.0.0",
        expect.stringMatching(/^Installing hello 1\.0\.0 \(.+ MB of .+ MB\)$/),
      ]),
    );

    const host = manager.consoleHost(serverId);
    expect(host).not.toBeNull();
    const { env, cwd } = devEnvironment("process", host!.spec);
    const handle = await driver.exec(serverId, { command: ["sh", "-c", "hello"], env, cwd });
    expect(await outputOf(handle)).toContain("hello from the runtime");

    // A second server with the same runtime reuses the installed one.
    const other = newId();
    expect(
      await manager.provision({
        spec: { ...devServerSpec(other), runtimes: [hello()] },
        start: false,
      }),
    ).toMatchObject({ ok: true });
    expect(artifacts.downloads("hello.tar.gz")).toBe(1);

    await manager.delete(serverId);
    await manager.delete(other);
  });

  it("fails provisioning on a sha256 mismatch, with nothing of the server made", async () => {
    const serverId = newId();
    const result = await manager.provision({
      spec: {
        ...devServerSpec(serverId),
        runtimes: [hello({ version: "2.0.0", sha256: "0".repeat(64) })],
      },
      start: true,
    });
    expect(result).toMatchObject({
      ok: false,
      error: {
        message: expect.stringMatching(/^Installing hello 2\.0\.0 failed: sha256 mismatch/),
      },
    });
    const failed = progress.filter((p) => p.serverId === serverId && p.stage === "failed");
    expect(failed.map((p) => p.message)).toEqual([expect.stringContaining("sha256 mismatch")]);
    expect((await driver.inspect(serverId)).exists).toBe(false);
    expect(manager.has(serverId)).toBe(false);
    await expect(readdir(serverFolder(dataDir, serverId))).rejects.toThrow(/ENOENT/);
    // Nothing of 2.0.0 in the store (1.0.0 left it with the servers that used it).
    await expect(readdir(path.join(runtimeFolder(dataDir), "hello", "2.0.0"))).rejects.toThrow(
      /ENOENT/,
    );
    expect(await readdir(runtimeFolder(dataDir))).not.toContain("hello");
  });
});
