// Test support for suites on a real Docker engine: this run's labels, the cache folder of node-built
// images and artifacts, whether the dev image can be had, and removing this run's containers.
import { randomUUID } from "node:crypto";
import { homedir } from "node:os";
import path from "node:path";
import type Docker from "dockerode";
import { dockerAvailable, hasCommand } from "../../../../test/require-dependency";
import { DEV_IMAGE } from "../images/dev-image";
import { inspectImage } from "../images/image-build";

export const TEST_CACHE_DIR =
  process.env.BERTH_CACHE_DIR ?? path.join(homedir(), ".cache", "berth");

/** Labels every container of one test file's run carries, so its cleanup takes only those. */
export function testRun(): { run: string; labels: Record<string, string> } {
  const run = randomUUID().slice(0, 8);
  return { run, labels: { "berth.test": "1", "berth.test.run": run } };
}

/** The engine answers, and the dev image is there or can be built (debootstrap, as root). */
export async function devImageAvailable(engine: Docker): Promise<boolean> {
  if (!(await dockerAvailable())) return false;
  if ((await inspectImage(engine, DEV_IMAGE).catch(() => null)) !== null) return true;
  return (
    (hasCommand("debootstrap") || hasCommand("/usr/sbin/debootstrap")) && process.getuid?.() === 0
  );
}

export async function removeRunContainers(engine: Docker, run: string): Promise<void> {
  const containers = await engine.listContainers({
    all: true,
    filters: { label: [`berth.test.run=${run}`] },
  });
  await Promise.all(
    containers.map((c) =>
      engine
        .getContainer(c.Id)
        .remove({ force: true, v: true })
        .catch(() => undefined),
    ),
  );
}
