// ServerManager.fileRoot: the folder the file manager works in is the one the driver mounts, owned
// by the container's user under Docker, and only for servers on this node.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { DriverName } from "../drivers/driver";
import { FakeClock } from "../instance/fake-clock";
import { FakeDriver } from "../instance/fake-driver";
import { ServerManager } from "./server-manager";
import { SpecStore } from "./spec-store";
import { echoServerSpec } from "./test-spec";

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function managerWith(driverName: DriverName) {
  const dataDir = await mkdtemp(path.join(tmpdir(), "berth-file-root-"));
  dirs.push(dataDir);
  const clock = new FakeClock();
  const driver = new FakeDriver(clock, driverName);
  const manager = new ServerManager({
    driver,
    images: { ensure: async (image) => image },
    store: new SpecStore({ dir: SpecStore.folderFor(dataDir) }),
    dataDir,
    clock,
  });
  return { manager, driver, dataDir };
}

describe("ServerManager.fileRoot", () => {
  for (const [driverName, owner] of [
    ["docker", { uid: 1000, gid: 1000 }],
    ["process", null],
  ] as const) {
    it(`gives the mounted data folder and its owner (${driverName})`, async () => {
      const { manager, driver, dataDir } = await managerWith(driverName);
      expect(manager.fileRoot("s1")).toBeNull();
      await manager.provision({ spec: echoServerSpec("s1"), start: false });
      const where = manager.fileRoot("s1");
      expect(where).toEqual({
        root: driver.process("s1").spec!.dataDir,
        owner,
        scratch: path.join(dataDir, "servers", "s1", "scratch"),
      });
      expect(where!.root).toBe(path.join(dataDir, "servers", "s1", "data"));
      await manager.delete("s1");
      expect(manager.fileRoot("s1")).toBeNull();
      manager.dispose();
    });
  }
});
