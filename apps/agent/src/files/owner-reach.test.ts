import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ownerCanReach } from "./owner-reach";

// Ids no file here belongs to, so the "others" bits decide.
const stranger = { uid: 54_321, gid: 54_321 };

describe("ownerCanReach", () => {
  let sandbox: string;
  beforeAll(async () => {
    sandbox = await mkdtemp(path.join(tmpdir(), "berth-reach-"));
    await chmod(sandbox, 0o755);
    for (const [folder, mode] of [
      ["open", 0o755],
      ["pass-only", 0o711],
      ["closed", 0o700],
    ] as const) {
      await mkdir(path.join(sandbox, folder, "data"), { recursive: true });
      await chmod(path.join(sandbox, folder), mode);
      await writeFile(path.join(sandbox, folder, "data", "file"), "x", { mode: 0o644 });
    }
  });
  afterAll(() => rm(sandbox, { recursive: true, force: true }));

  it("passes folders that let others through, listable or not", async () => {
    expect(await ownerCanReach(stranger, path.join(sandbox, "open", "data", "file"))).toBe(true);
    expect(await ownerCanReach(stranger, path.join(sandbox, "pass-only", "data"))).toBe(true);
  });

  it("stops at a folder closed to that user", async () => {
    expect(await ownerCanReach(stranger, path.join(sandbox, "closed", "data"))).toBe(false);
    expect(await ownerCanReach(stranger, path.join(sandbox, "closed", "data", "file"))).toBe(false);
  });

  it("lets a folder's own user through whatever others may do", async () => {
    const me = { uid: process.getuid!(), gid: process.getgid!() };
    expect(await ownerCanReach(me, path.join(sandbox, "closed", "data", "file"))).toBe(true);
  });

  it("says no for a path that does not exist", async () => {
    expect(await ownerCanReach(stranger, path.join(sandbox, "missing", "x"))).toBe(false);
  });
});
