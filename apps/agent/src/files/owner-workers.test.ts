// File operations as the server's user: a root agent hands them to a worker process running as
// the owner, so what the kernel allows that user is all a path (or a race on it) can reach.
import {
  chmod,
  chown,
  lstat,
  mkdir,
  mkdtemp,
  readFile,
  realpath,
  rm,
  writeFile,
} from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FileRoot } from "./file-root";
import { createOwnerWorkers, type OwnerWorkers } from "./owner-workers";
import { FileError } from "./server-paths";

const asRoot = process.getuid?.() === 0;

describe.runIf(asRoot)("owner workers", () => {
  let sandbox: string;
  let where: FileRoot;
  let workers: OwnerWorkers;

  beforeAll(async () => {
    sandbox = await realpath(await mkdtemp(path.join(os.tmpdir(), "berth-owner-workers-")));
    await chmod(sandbox, 0o755);
    const root = path.join(sandbox, "servers", "s1", "data");
    await mkdir(root, { recursive: true });
    await chown(root, 1000, 1000);
    // Root's own folder inside the server's folder: the server's user may not write there.
    await mkdir(path.join(root, "root-only"), { mode: 0o755 });
    await writeFile(path.join(sandbox, "root-secret"), "secret", { mode: 0o600 });
    where = {
      root,
      owner: { uid: 1000, gid: 1000 },
      scratch: path.join(sandbox, "servers", "s1", "scratch"),
    };
    workers = createOwnerWorkers({ idleMs: 200 });
  });
  afterAll(async () => {
    workers?.close();
    await rm(sandbox, { recursive: true, force: true });
  });

  it("writes as the server's user, so new files are its own without a chown", async () => {
    const result = await workers.run(where, {
      op: "write",
      path: "eula.txt",
      content: "eula=true\n",
    });
    expect(result).toMatchObject({ kind: "entry", entry: { name: "eula.txt" } });
    expect(await lstat(path.join(where.root, "eula.txt"))).toMatchObject({ uid: 1000, gid: 1000 });
    expect(await readFile(path.join(where.root, "eula.txt"), "utf8")).toBe("eula=true\n");
  });

  it("cannot do what the server's user cannot, even inside the folder", async () => {
    const error = await workers
      .run(where, { op: "write", path: "root-only/x.txt", content: "x" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileError);
    expect(error).toMatchObject({
      code: "FORBIDDEN",
      message: 'The node may not write "root-only/x.txt"',
    });
    // A root named outside (as a race could make a path resolve) reaches nothing root keeps.
    const outside = await workers
      .run({ ...where, root: sandbox }, { op: "read", path: "root-secret" })
      .catch((e: unknown) => e);
    expect(outside).toMatchObject({ code: "FORBIDDEN" });
  });

  it("extracts through a scratch folder of the owner's, and answers refusals as FileErrors", async () => {
    await workers.run(where, { op: "mkdir", path: "world" });
    await workers.run(where, { op: "write", path: "world/level.txt", content: "L" });
    await workers.run(where, {
      op: "compress",
      paths: ["world"],
      to: "w.tar.gz",
      format: "tar.gz",
    });
    expect(await workers.run(where, { op: "extract", path: "w.tar.gz", to: "copy" })).toEqual({
      kind: "done",
    });
    expect(await lstat(path.join(where.root, "copy/world/level.txt"))).toMatchObject({ uid: 1000 });
    await expect(workers.run(where, { op: "read", path: "../x" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: "A path cannot go up with ..",
    });
  });

  it("works in the agent itself, and says so once, where the server's user cannot reach the folder", async () => {
    const closed = path.join(sandbox, "closed");
    const root = path.join(closed, "s2", "data");
    await mkdir(root, { recursive: true });
    await chown(root, 1000, 1000);
    await chmod(closed, 0o700);
    const unreachable: string[] = [];
    const fallback = createOwnerWorkers({ onUnreachable: (info) => unreachable.push(info.root) });
    try {
      const closedWhere = { root, owner: { uid: 1000, gid: 1000 } };
      for (const name of ["a.txt", "b.txt"]) {
        await fallback.run(closedWhere, { op: "write", path: name, content: "x" });
      }
      expect(await readFile(path.join(root, "b.txt"), "utf8")).toBe("x");
      // Made by the agent, handed to the server's user.
      expect(await lstat(path.join(root, "a.txt"))).toMatchObject({ uid: 1000, gid: 1000 });
      expect(unreachable).toEqual([root]);
    } finally {
      fallback.close();
    }
  });

  it("starts a new worker after the idle one ended", async () => {
    await new Promise((resolve) => setTimeout(resolve, 400));
    const again = await workers.run(where, { op: "list", path: "" });
    expect(again.kind).toBe("listing");
  });
});

it("runs in the agent's own process without an owner", async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), "berth-owner-workers-"));
  const workers = createOwnerWorkers();
  try {
    await workers.run({ root: dir, owner: null }, { op: "write", path: "a.txt", content: "a" });
    expect((await lstat(path.join(dir, "a.txt"))).uid).toBe(process.getuid?.());
  } finally {
    workers.close();
    await rm(dir, { recursive: true, force: true });
  }
});
