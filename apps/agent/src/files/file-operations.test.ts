// Every file operation against a real folder in the temp dir (fast, so a unit test here).
import {
  chmod,
  lstat,
  mkdir,
  mkdtemp,
  open,
  readFile,
  readdir,
  readlink,
  rm,
  stat,
  symlink,
  utimes,
  writeFile,
} from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { TEXT_FILE_MAX_BYTES, type FileOperation, type FileResult } from "@berth/protocol";
import { rawTarball } from "../runtimes/test-artifacts";
import type { FileRoot } from "./file-root";
import { runFileOperation } from "./run-file-operation";
import { FileError } from "./server-paths";
import { rawZip } from "./test-archives";
import { writeText } from "./write-text";

const asRoot = process.getuid?.() === 0;
const OWNER = { uid: 1000, gid: 1000 };

let sandbox: string;
let root: string;
let outside: string;
let where: FileRoot;

beforeEach(async () => {
  sandbox = await mkdtemp(path.join(os.tmpdir(), "berth-files-"));
  root = path.join(sandbox, "data");
  outside = path.join(sandbox, "outside");
  await mkdir(root);
  await mkdir(outside);
  await writeFile(path.join(outside, "secret.txt"), "top secret");
  where = { root, owner: null, scratch: path.join(sandbox, "scratch") };
});
afterEach(async () => {
  await rm(sandbox, { recursive: true, force: true });
});

const run = (operation: FileOperation, at: FileRoot = where): Promise<FileResult> =>
  runFileOperation(at, operation);

async function refusal(operation: FileOperation, at: FileRoot = where): Promise<FileError> {
  const error = await run(operation, at).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FileError);
  const message = (error as FileError).message;
  expect(message).not.toContain(sandbox);
  expect(message).not.toMatch(/\n\s+at /);
  return error as FileError;
}

async function tree(folder: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (dir: string, prefix: string) => {
    for (const name of (await readdir(dir)).sort()) {
      const full = path.join(dir, name);
      const info = await lstat(full);
      const key = prefix + name;
      if (info.isSymbolicLink()) out[key] = `-> ${await readlink(full)}`;
      else if (info.isDirectory()) {
        out[`${key}/`] = (info.mode & 0o777).toString(8);
        await walk(full, `${key}/`);
      } else out[key] = await readFile(full, "utf8");
    }
  };
  await walk(folder, "");
  return out;
}

describe("list", () => {
  it("lists folders first, then files by name, with size, mode, type and mtime", async () => {
    await writeFile(path.join(root, "b.txt"), "12345");
    await chmod(path.join(root, "b.txt"), 0o600);
    await writeFile(path.join(root, "a.txt"), "");
    await mkdir(path.join(root, "z-folder"));
    await symlink("../outside", path.join(root, "link"));
    await writeFile(path.join(root, ".berth-tmp-abc"), "half made");
    const result = await run({ op: "list", path: "" });
    expect(result.kind).toBe("listing");
    if (result.kind !== "listing") return;
    expect(result.listing.path).toBe("");
    expect(result.listing.entries.map((e) => [e.name, e.type])).toEqual([
      ["z-folder", "dir"],
      ["a.txt", "file"],
      ["b.txt", "file"],
      ["link", "symlink"],
    ]);
    const b = result.listing.entries.find((e) => e.name === "b.txt")!;
    expect(b).toMatchObject({ size: 5, mode: 0o600 });
    expect(b.mtimeMs).toBe((await stat(path.join(root, "b.txt"))).mtimeMs);
    expect(result.listing.entries[0]!.size).toBe(0);
  });

  it("lists a subfolder, and refuses a file or a missing folder", async () => {
    await mkdir(path.join(root, "world", "region"), { recursive: true });
    await writeFile(path.join(root, "world", "level.dat"), "x");
    const result = await run({ op: "list", path: "world/" });
    expect(result.kind === "listing" && result.listing.path).toBe("world");
    expect((await refusal({ op: "list", path: "world/level.dat" })).message).toBe(
      '"world/level.dat" is not a folder',
    );
    const missing = await refusal({ op: "list", path: "nope" });
    expect(missing.code).toBe("NOT_FOUND");
    expect(missing.message).toBe('"nope" does not exist');
  });

  it("says so when the server's folder itself is missing", async () => {
    const error = await refusal(
      { op: "list", path: "" },
      { root: path.join(sandbox, "gone"), owner: null },
    );
    expect(error.code).toBe("NOT_FOUND");
  });
});

describe("read", () => {
  it("reads a UTF-8 text file with its size and mtime", async () => {
    await writeFile(path.join(root, "server.properties"), "motd=héllo ✓\n");
    const result = await run({ op: "read", path: "server.properties" });
    expect(result).toEqual({
      kind: "text",
      file: {
        path: "server.properties",
        content: "motd=héllo ✓\n",
        size: Buffer.byteLength("motd=héllo ✓\n"),
        mtimeMs: (await stat(path.join(root, "server.properties"))).mtimeMs,
      },
    });
  });

  it("refuses files over the limit, binary-looking files and folders with a clear message", async () => {
    await writeFile(path.join(root, "big.log"), Buffer.alloc(TEXT_FILE_MAX_BYTES + 1, 0x61));
    await writeFile(path.join(root, "exactly.txt"), Buffer.alloc(TEXT_FILE_MAX_BYTES, 0x61));
    await writeFile(path.join(root, "level.dat"), Buffer.from([0x0a, 0x00, 0x01, 0x02]));
    await writeFile(path.join(root, "latin1.txt"), Buffer.from([0x63, 0x61, 0x66, 0xe9]));
    await writeFile(path.join(root, "controls.bin"), Buffer.alloc(1000, 0x01));
    await writeFile(path.join(root, "ansi.log"), "\u001b[32mDone\u001b[0m (3.2s)!\r\n\tindented\f");
    await mkdir(path.join(root, "world"));
    const big = await refusal({ op: "read", path: "big.log" });
    expect(big.code).toBe("BAD_REQUEST");
    expect(big.message).toMatch(
      /^"big\.log" is too large to edit \(1\.0 MB; the editor opens up to 1\.0 MB\)/,
    );
    expect((await run({ op: "read", path: "exactly.txt" })).kind).toBe("text");
    expect((await refusal({ op: "read", path: "level.dat" })).message).toBe(
      '"level.dat" looks like a binary file, not text. Download it instead',
    );
    expect((await refusal({ op: "read", path: "latin1.txt" })).message).toMatch(/binary/);
    expect((await refusal({ op: "read", path: "controls.bin" })).message).toMatch(/binary/);
    expect((await run({ op: "read", path: "ansi.log" })).kind).toBe("text");
    expect((await refusal({ op: "read", path: "world" })).message).toBe('"world" is a folder');
    expect((await refusal({ op: "read", path: "missing.txt" })).code).toBe("NOT_FOUND");
  });

  it("reads through a symlink that stays inside, never through one that leaves", async () => {
    await writeFile(path.join(root, "real.txt"), "inside");
    await symlink("real.txt", path.join(root, "alias.txt"));
    await symlink("../outside/secret.txt", path.join(root, "leak.txt"));
    const inside = await run({ op: "read", path: "alias.txt" });
    expect(inside.kind === "text" && inside.file).toMatchObject({
      path: "alias.txt",
      content: "inside",
    });
    // A folder reached through a link inside is listed under the name it was asked by.
    await writeFile(path.join(root, "sub-file"), "s");
    await mkdir(path.join(root, "real-dir"));
    await writeFile(path.join(root, "real-dir", "in.txt"), "in");
    await symlink("real-dir", path.join(root, "dir-alias"));
    const listed = await run({ op: "list", path: "dir-alias/" });
    expect(listed.kind === "listing" && listed.listing.path).toBe("dir-alias");
    expect((await refusal({ op: "read", path: "dir-alias/none" })).message).toBe(
      '"dir-alias/none" does not exist',
    );
    const leak = await refusal({ op: "read", path: "leak.txt" });
    expect(leak.code).toBe("FORBIDDEN");
    expect(leak.message).toBe("leak.txt leads outside the server's folder");
  });
});

describe("write", () => {
  it("creates and replaces a file whole, leaving no temporary file", async () => {
    const created = await run({ op: "write", path: "ops.json", content: "[]" });
    expect(created.kind === "entry" && created.entry).toMatchObject({
      name: "ops.json",
      size: 2,
      type: "file",
      mode: 0o644,
    });
    await chmod(path.join(root, "ops.json"), 0o640);
    // A reader holding the old file keeps seeing the old content: the file was replaced, not
    // rewritten in place.
    const reader = await open(path.join(root, "ops.json"), "r");
    try {
      await run({ op: "write", path: "ops.json", content: '["steve"]' });
      expect((await reader.readFile()).toString()).toBe("[]");
    } finally {
      await reader.close();
    }
    expect(await readFile(path.join(root, "ops.json"), "utf8")).toBe('["steve"]');
    expect((await stat(path.join(root, "ops.json"))).mode & 0o777).toBe(0o640);
    expect(await readdir(root)).toEqual(["ops.json"]);
  });

  it("leaves the old content and no temporary file when the write fails before the rename", async () => {
    await writeFile(path.join(root, "config.yml"), "old: true\n");
    let tempSeen = "";
    const error = await writeText(
      where,
      { path: "config.yml", content: "new: true\n" },
      {
        beforeReplace: async (temp) => {
          tempSeen = temp;
          // The temporary file is complete and synced beside the target…
          expect(path.dirname(temp)).toBe(
            await import("node:fs/promises").then((f) => f.realpath(root)),
          );
          expect(await readFile(temp, "utf8")).toBe("new: true\n");
          throw Object.assign(new Error("disk vanished"), { code: "EIO" });
        },
      },
    ).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(FileError);
    expect((error as FileError).message).toBe('Could not write "config.yml"');
    expect(tempSeen).not.toBe("");
    expect(await readFile(path.join(root, "config.yml"), "utf8")).toBe("old: true\n");
    expect(await readdir(root)).toEqual(["config.yml"]);
  });

  it("refuses a file that changed since it was opened (expectedMtimeMs)", async () => {
    await writeFile(path.join(root, "motd.txt"), "one");
    const opened = await run({ op: "read", path: "motd.txt" });
    if (opened.kind !== "text") throw new Error("not text");
    const saved = await run({
      op: "write",
      path: "motd.txt",
      content: "two",
      expectedMtimeMs: opened.file.mtimeMs,
    });
    expect(saved.kind).toBe("entry");
    // Someone else changes it meanwhile.
    await utimes(path.join(root, "motd.txt"), new Date(), new Date(Date.now() + 5_000));
    const conflict = await refusal({
      op: "write",
      path: "motd.txt",
      content: "three",
      expectedMtimeMs: saved.kind === "entry" ? saved.entry.mtimeMs : 0,
    });
    expect(conflict.code).toBe("CONFLICT");
    expect(conflict.message).toMatch(/^"motd\.txt" changed since you opened it/);
    expect(await readFile(path.join(root, "motd.txt"), "utf8")).toBe("two");
    await rm(path.join(root, "motd.txt"));
    expect(
      (await refusal({ op: "write", path: "motd.txt", content: "x", expectedMtimeMs: 1 })).message,
    ).toBe('"motd.txt" was deleted since you opened it');
  });

  it("refuses oversized text, folders, missing folders and links out", async () => {
    const big = await refusal({
      op: "write",
      path: "a.txt",
      content: "a".repeat(TEXT_FILE_MAX_BYTES + 1),
    });
    expect(big.message).toMatch(/too large to save/);
    await mkdir(path.join(root, "dir"));
    expect((await refusal({ op: "write", path: "dir", content: "" })).message).toBe(
      '"dir" is not a regular file',
    );
    expect((await refusal({ op: "write", path: "no/such/file.txt", content: "" })).code).toBe(
      "NOT_FOUND",
    );
    await symlink("../outside", path.join(root, "out"));
    expect((await refusal({ op: "write", path: "out/secret.txt", content: "pwned" })).code).toBe(
      "FORBIDDEN",
    );
    expect(await readFile(path.join(outside, "secret.txt"), "utf8")).toBe("top secret");
    expect((await refusal({ op: "write", path: "", content: "" })).code).toBe("BAD_REQUEST");
  });

  it.runIf(asRoot)("gives a new file to the owner and keeps an existing file's owner", async () => {
    const owned = { ...where, owner: OWNER };
    await run({ op: "write", path: "new.txt", content: "x" }, owned);
    expect(await stat(path.join(root, "new.txt"))).toMatchObject({ uid: 1000, gid: 1000 });
    await writeFile(path.join(root, "mine.txt"), "root's");
    await run({ op: "write", path: "mine.txt", content: "still root's" }, owned);
    expect(await stat(path.join(root, "mine.txt"))).toMatchObject({ uid: 0, gid: 0 });
  });
});

describe("mkdir", () => {
  it("makes nested folders and refuses an existing one", async () => {
    const made = await run({ op: "mkdir", path: "plugins/Essentials/data" });
    expect(made.kind === "entry" && made.entry).toMatchObject({ name: "data", type: "dir" });
    expect((await stat(path.join(root, "plugins/Essentials/data"))).isDirectory()).toBe(true);
    const again = await refusal({ op: "mkdir", path: "plugins" });
    expect(again).toMatchObject({ code: "CONFLICT", message: '"plugins" already exists' });
  });

  it.runIf(asRoot)("gives every folder it made to the owner", async () => {
    await mkdir(path.join(root, "existing"));
    await run({ op: "mkdir", path: "existing/a/b" }, { ...where, owner: OWNER });
    expect(await stat(path.join(root, "existing"))).toMatchObject({ uid: 0 });
    expect(await stat(path.join(root, "existing/a"))).toMatchObject({ uid: 1000, gid: 1000 });
    expect(await stat(path.join(root, "existing/a/b"))).toMatchObject({ uid: 1000, gid: 1000 });
  });
});

describe("rename", () => {
  it("renames and moves files and folders, never over an existing entry", async () => {
    await mkdir(path.join(root, "world"));
    await writeFile(path.join(root, "world", "level.dat"), "L");
    await mkdir(path.join(root, "backups"));
    const moved = await run({ op: "rename", from: "world", to: "backups/world-1" });
    expect(moved.kind === "entry" && moved.entry).toMatchObject({ name: "world-1", type: "dir" });
    expect(await readFile(path.join(root, "backups/world-1/level.dat"), "utf8")).toBe("L");
    await writeFile(path.join(root, "a.txt"), "a");
    await writeFile(path.join(root, "b.txt"), "b");
    expect((await refusal({ op: "rename", from: "a.txt", to: "b.txt" })).code).toBe("CONFLICT");
    expect(await readFile(path.join(root, "b.txt"), "utf8")).toBe("b");
    expect((await refusal({ op: "rename", from: "backups", to: "backups/inner" })).message).toBe(
      "A folder cannot go inside itself",
    );
    expect((await refusal({ op: "rename", from: "missing", to: "x" })).code).toBe("NOT_FOUND");
    expect((await refusal({ op: "rename", from: "", to: "x" })).code).toBe("BAD_REQUEST");
    expect((await refusal({ op: "rename", from: "a.txt", to: "no/such/a.txt" })).code).toBe(
      "NOT_FOUND",
    );
  });

  it("moves a symlink that leads out as the link itself, leaving its target alone", async () => {
    await symlink("/etc", path.join(root, "etc-link"));
    await run({ op: "rename", from: "etc-link", to: "renamed" });
    expect(await readlink(path.join(root, "renamed"))).toBe("/etc");
    expect((await stat("/etc")).isDirectory()).toBe(true);
    // …but cannot move anything into it.
    await writeFile(path.join(root, "x"), "x");
    expect((await refusal({ op: "rename", from: "x", to: "renamed/x" })).code).toBe("FORBIDDEN");
  });
});

describe("copy", () => {
  it("copies a file and a folder recursively, with modes and inside links", async () => {
    await mkdir(path.join(root, "world/region"), { recursive: true });
    await writeFile(path.join(root, "world/level.dat"), "L");
    await writeFile(path.join(root, "world/region/r.0.0.mca"), "R");
    await chmod(path.join(root, "world/region/r.0.0.mca"), 0o600);
    await symlink("level.dat", path.join(root, "world/current"));
    await chmod(path.join(root, "world/region"), 0o750);
    const copied = await run({ op: "copy", from: "world", to: "world-copy" });
    expect(copied.kind === "entry" && copied.entry).toMatchObject({
      name: "world-copy",
      type: "dir",
    });
    expect(await tree(path.join(root, "world-copy"))).toEqual(await tree(path.join(root, "world")));
    expect((await stat(path.join(root, "world-copy/region/r.0.0.mca"))).mode & 0o777).toBe(0o600);
    const file = await run({ op: "copy", from: "world/level.dat", to: "level.bak" });
    expect(file.kind === "entry" && file.entry).toMatchObject({ name: "level.bak", size: 1 });
    expect((await refusal({ op: "copy", from: "world", to: "world/inner" })).message).toBe(
      "A folder cannot go inside itself",
    );
    expect((await refusal({ op: "copy", from: "world", to: "level.bak" })).code).toBe("CONFLICT");
    expect((await readdir(root)).sort()).toEqual(["level.bak", "world", "world-copy"]);
  });

  it("refuses a folder holding a link that would lead out, leaving nothing behind", async () => {
    await mkdir(path.join(root, "deep/a/b"), { recursive: true });
    // From deep/a/b this names root/outside (inside); from a2/b it would name the real outside.
    await symlink("../../../outside", path.join(root, "deep/a/b/out"));
    await writeFile(path.join(root, "deep/a/file"), "f");
    const error = await refusal({ op: "copy", from: "deep/a", to: "a2" });
    expect(error.code).toBe("FORBIDDEN");
    expect(error.message).toBe(
      '"deep/a/b/out" is a symlink that would lead outside the server\'s folder; it cannot be copied',
    );
    expect(await readdir(root)).toEqual(["deep"]);
    expect(await readdir(outside)).toEqual(["secret.txt"]);
  });

  it.runIf(asRoot)("gives the copy to the owner", async () => {
    await mkdir(path.join(root, "src"));
    await writeFile(path.join(root, "src/f"), "f");
    await run({ op: "copy", from: "src", to: "dst" }, { ...where, owner: OWNER });
    expect(await stat(path.join(root, "dst"))).toMatchObject({ uid: 1000, gid: 1000 });
    expect(await stat(path.join(root, "dst/f"))).toMatchObject({ uid: 1000, gid: 1000 });
  });
});

describe("delete", () => {
  it("deletes files and folders, and a link out as a link only", async () => {
    await mkdir(path.join(root, "logs/old"), { recursive: true });
    await writeFile(path.join(root, "logs/old/1.log"), "1");
    await writeFile(path.join(root, "crash.txt"), "c");
    await symlink("../outside", path.join(root, "out"));
    expect(await run({ op: "delete", paths: ["logs", "crash.txt", "out"] })).toEqual({
      kind: "done",
    });
    expect(await readdir(root)).toEqual([]);
    expect(await readFile(path.join(outside, "secret.txt"), "utf8")).toBe("top secret");
  });

  it("refuses the server's folder itself, paths out, and a missing file", async () => {
    await writeFile(path.join(root, "keep"), "k");
    expect((await refusal({ op: "delete", paths: [""] })).message).toBe(
      "Name a file or folder inside the server's folder",
    );
    expect((await refusal({ op: "delete", paths: ["keep", "../outside"] })).code).toBe(
      "BAD_REQUEST",
    );
    await symlink("../outside", path.join(root, "out"));
    expect((await refusal({ op: "delete", paths: ["out/secret.txt"] })).code).toBe("FORBIDDEN");
    expect((await refusal({ op: "delete", paths: ["missing"] })).code).toBe("NOT_FOUND");
    expect((await readdir(root)).sort()).toEqual(["keep", "out"]);
    expect(await readdir(outside)).toEqual(["secret.txt"]);
  });
});

describe("compress and extract", () => {
  async function fixture() {
    await mkdir(path.join(root, "plugins/Essentials"), { recursive: true });
    await writeFile(path.join(root, "plugins/a.jar"), "jar a");
    await writeFile(path.join(root, "plugins/Essentials/config.yml"), "c: 1\n");
    await chmod(path.join(root, "plugins/Essentials/config.yml"), 0o600);
    await symlink("a.jar", path.join(root, "plugins/current.jar"));
  }

  for (const format of ["tar.gz", "zip"] as const) {
    it(`round-trips chosen entries through .${format}, named from the folder they share`, async () => {
      await fixture();
      const made = await run({
        op: "compress",
        paths: ["plugins/a.jar", "plugins/Essentials", "plugins/current.jar"],
        to: `backup.${format}`,
        format,
      });
      expect(made.kind === "entry" && made.entry).toMatchObject({
        name: `backup.${format}`,
        type: "file",
      });
      expect((await readdir(root)).sort()).toEqual([`backup.${format}`, "plugins"]);
      expect(await run({ op: "extract", path: `backup.${format}`, to: "restored" })).toEqual({
        kind: "done",
      });
      expect(await tree(path.join(root, "restored"))).toEqual({
        "Essentials/": "755",
        "Essentials/config.yml": "c: 1\n",
        "a.jar": "jar a",
        "current.jar": "-> a.jar",
      });
      expect((await stat(path.join(root, "restored/Essentials/config.yml"))).mode & 0o777).toBe(
        0o600,
      );
      expect((await readdir(where.scratch!)).length).toBe(0);
      // Merging into a folder that exists: files are replaced, folders merged.
      await writeFile(path.join(root, "restored/a.jar"), "changed");
      await writeFile(path.join(root, "restored/Essentials/extra"), "kept");
      await run({ op: "extract", path: `backup.${format}`, to: "restored" });
      expect(await readFile(path.join(root, "restored/a.jar"), "utf8")).toBe("jar a");
      expect(await readFile(path.join(root, "restored/Essentials/extra"), "utf8")).toBe("kept");
    });
  }

  it("compresses a folder containing the archive's own destination without storing it", async () => {
    await fixture();
    await run({ op: "compress", paths: ["plugins"], to: "plugins/all.zip", format: "zip" });
    await run({ op: "extract", path: "plugins/all.zip", to: "out" });
    expect(Object.keys(await tree(path.join(root, "out"))).sort()).toEqual([
      "plugins/",
      "plugins/Essentials/",
      "plugins/Essentials/config.yml",
      "plugins/a.jar",
      "plugins/current.jar",
    ]);
  });

  it("refuses an existing destination, missing entries, nested choices and non-archives", async () => {
    await fixture();
    expect(
      (await refusal({ op: "compress", paths: ["plugins"], to: "plugins/a.jar", format: "zip" }))
        .code,
    ).toBe("CONFLICT");
    expect(
      (await refusal({ op: "compress", paths: ["nope"], to: "x.zip", format: "zip" })).code,
    ).toBe("NOT_FOUND");
    expect(
      (
        await refusal({
          op: "compress",
          paths: ["plugins", "plugins/a.jar"],
          to: "x.zip",
          format: "zip",
        })
      ).message,
    ).toBe('"plugins/a.jar" is inside "plugins", chosen already');
    expect((await refusal({ op: "extract", path: "plugins/a.jar", to: "" })).message).toBe(
      '"plugins/a.jar" is not a .tar.gz or .zip archive',
    );
    expect((await readdir(root)).sort()).toEqual(["plugins"]);
  });

  it("refuses to merge a file where a folder is (and the reverse), changing nothing", async () => {
    await writeFile(
      path.join(root, "a.zip"),
      rawZip([{ name: "config/" }, { name: "config/x", body: "x" }, { name: "b", body: "b" }]),
    );
    await writeFile(path.join(root, "config"), "a file");
    await mkdir(path.join(root, "b"));
    const error = await refusal({ op: "extract", path: "a.zip", to: "" });
    expect(error.code).toBe("CONFLICT");
    expect(error.message).toBe(
      'The archive has "b", "config" where the server\'s folder has a folder and a file of the same name',
    );
    expect((await readdir(root)).sort()).toEqual(["a.zip", "b", "config"]);
  });

  it("refuses hostile archives as a whole: nothing reaches the server's folder", async () => {
    await writeFile(
      path.join(root, "evil.tar.gz"),
      rawTarball([
        { path: "fine.txt", body: "fine" },
        { path: "link", type: "SymbolicLink", linkpath: "../outside" },
      ]),
    );
    const tar = await refusal({ op: "extract", path: "evil.tar.gz", to: "" });
    expect(tar.code).toBe("BAD_REQUEST");
    expect(tar.message).toBe(
      '"evil.tar.gz" cannot be extracted safely: symlink points outside the archive: link -> ../outside',
    );
    await writeFile(
      path.join(root, "evil.zip"),
      rawZip([
        { name: "fine.txt", body: "fine" },
        { name: "dir/", type: "Directory" },
        { name: "fifo", type: "Fifo" },
      ]),
    );
    const zip = await refusal({ op: "extract", path: "evil.zip", to: "" });
    expect(zip.message).toBe(
      '"evil.zip" cannot be extracted safely: entry type Special is not allowed: fifo',
    );
    expect((await readdir(root)).sort()).toEqual(["evil.tar.gz", "evil.zip"]);
  });

  it.runIf(asRoot)("gives archives and extracted entries to the owner", async () => {
    await fixture();
    const owned = { ...where, owner: OWNER };
    await run({ op: "compress", paths: ["plugins"], to: "p.tar.gz", format: "tar.gz" }, owned);
    expect(await stat(path.join(root, "p.tar.gz"))).toMatchObject({ uid: 1000, gid: 1000 });
    await run({ op: "extract", path: "p.tar.gz", to: "x/y" }, owned);
    for (const entry of [
      "x/y",
      "x/y/plugins",
      "x/y/plugins/a.jar",
      "x/y/plugins/Essentials/config.yml",
    ]) {
      expect(await stat(path.join(root, entry))).toMatchObject({ uid: 1000, gid: 1000 });
    }
    expect(await lstat(path.join(root, "x/y/plugins/current.jar"))).toMatchObject({ uid: 1000 });
  });
});
