import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DiskUsage, folderBytes } from "./disk-usage";

let root: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "berth-disk-usage-"));
  await mkdir(path.join(root, "a/b"), { recursive: true });
  await writeFile(path.join(root, "a/one"), Buffer.alloc(1000));
  await writeFile(path.join(root, "a/b/two"), Buffer.alloc(2000));
  // Counted as the link itself (its target's length in bytes), never followed.
  await symlink("/usr", path.join(root, "usr-link"));
});

afterAll(() => rm(root, { recursive: true, force: true }));

describe("folderBytes", () => {
  it("adds up files below the folder and counts symlinks as themselves", async () => {
    expect(await folderBytes(root)).toBe(3000 + "/usr".length);
    expect(await folderBytes(path.join(root, "missing"))).toBe(0);
  });
});

describe("DiskUsage", () => {
  it("walks again only after its time to live or when told to forget", async () => {
    let now = 0;
    const usage = new DiskUsage({ ttlMs: 1000, now: () => now });
    const first = await usage.of(root);
    await writeFile(path.join(root, "three"), Buffer.alloc(3000));
    now = 999;
    expect(await usage.of(root)).toBe(first);
    now = 1000;
    expect(await usage.of(root)).toBe(first + 3000);
    await rm(path.join(root, "three"));
    expect(await usage.of(root)).toBe(first + 3000);
    usage.forget(root);
    expect(await usage.of(root)).toBe(first);
  });
});
