// The last step of an upload opens its destination's folders without following symlinks, so a
// folder swapped for a symlink after the path was checked cannot lead the agent outside.
import { mkdir, mkdtemp, readdir, realpath, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { openFolder } from "./open-folder";

let base: string;
let root: string;

beforeAll(async () => {
  base = await realpath(await mkdtemp(path.join(tmpdir(), "berth-open-folder-")));
  root = path.join(base, "root");
  await mkdir(path.join(root, "a"), { recursive: true });
  await mkdir(path.join(base, "outside"));
  await symlink(path.join(base, "outside"), path.join(root, "a", "link"));
  await writeFile(path.join(root, "a", "file"), "x");
});

afterAll(() => rm(base, { recursive: true, force: true }));

it("opens and makes folders below the root", async () => {
  const folder = await openFolder(root, ["a", "new", "deeper"], null);
  await writeFile(`/proc/self/fd/${folder.fd}/made.txt`, "ok");
  await folder.close();
  expect(await readdir(path.join(root, "a", "new", "deeper"))).toEqual(["made.txt"]);
});

it("refuses a symlink or a file on the way, making nothing behind it", async () => {
  await expect(openFolder(root, ["a", "link", "x"], null)).rejects.toThrow(
    "a/link is not a folder (it changed during the upload)",
  );
  await expect(openFolder(root, ["a", "file"], null)).rejects.toThrow(/a\/file is not a folder/);
  expect(await readdir(path.join(base, "outside"))).toEqual([]);
});
