import { mkdir, mkdtemp, readdir, rm, stat, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { applyModAction } from "./mod-actions";
import { fabricJar, writeJar } from "./test-jars";

let base: string;
let root: string;
beforeEach(async () => {
  base = await mkdtemp(path.join(tmpdir(), "berth-mods-"));
  root = path.join(base, "data");
  await mkdir(path.join(root, "mods"), { recursive: true });
  await mkdir(path.join(root, "plugins"));
});
afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

const at = (file: string) => path.join(root, file);
const exists = (file: string) =>
  stat(file).then(
    () => true,
    () => false,
  );
const names = (folder: string) => readdir(at(folder)).then((list) => list.sort());

/** The FileError code and message an action was refused with. */
async function refusal(file: string, action: "enable" | "disable" | "remove") {
  try {
    await applyModAction(root, file, action);
  } catch (error) {
    const { code, message } = error as { code: string; message: string };
    return { code, message };
  }
  throw new Error(`${action} ${file} was not refused`);
}

describe("applyModAction", () => {
  it("disables (x.jar → x.jar.disabled), enables it back, and removes it", async () => {
    await writeJar(at("mods/sodium.jar"), fabricJar("sodium"));
    await applyModAction(root, "mods/sodium.jar", "disable");
    expect(await names("mods")).toEqual(["sodium.jar.disabled"]);
    await applyModAction(root, "mods/sodium.jar.disabled", "enable");
    expect(await names("mods")).toEqual(["sodium.jar"]);
    await applyModAction(root, "mods/sodium.jar", "remove");
    expect(await names("mods")).toEqual([]);
  });

  it("works in plugins/ and on disabled jars too", async () => {
    await writeJar(at("plugins/Vault.jar.disabled"), fabricJar("vault"));
    await applyModAction(root, "plugins/Vault.jar.disabled", "remove");
    expect(await names("plugins")).toEqual([]);
  });

  it("refuses to replace another jar (CONFLICT) and leaves both in place", async () => {
    await writeJar(at("mods/a.jar"), fabricJar("a"));
    await writeJar(at("mods/a.jar.disabled"), fabricJar("a-old"));
    expect(await refusal("mods/a.jar", "disable")).toEqual({
      code: "CONFLICT",
      message: "mods/a.jar.disabled already exists; remove one of the two before you disable a.jar",
    });
    expect(await refusal("mods/a.jar.disabled", "enable")).toMatchObject({ code: "CONFLICT" });
    expect(await names("mods")).toEqual(["a.jar", "a.jar.disabled"]);
  });

  it("refuses enabling an enabled jar and disabling a disabled one", async () => {
    await writeJar(at("mods/a.jar"), fabricJar("a"));
    await writeJar(at("mods/b.jar.disabled"), fabricJar("b"));
    expect(await refusal("mods/a.jar", "enable")).toEqual({
      code: "BAD_REQUEST",
      message: "mods/a.jar is already enabled",
    });
    expect(await refusal("mods/b.jar.disabled", "disable")).toMatchObject({ code: "BAD_REQUEST" });
  });

  it("answers NOT_FOUND for a jar that is not there", async () => {
    expect(await refusal("mods/none.jar", "remove")).toEqual({
      code: "NOT_FOUND",
      message: "mods/none.jar does not exist",
    });
  });

  it("refuses anything but a jar directly in mods/ or plugins/ (BAD_REQUEST), touching nothing", async () => {
    await writeFile(at("server.jar"), "the server");
    await writeFile(path.join(base, "x.jar"), "outside");
    await mkdir(at("config"));
    await writeFile(at("config/x.jar"), "config");
    await mkdir(at("mods/sub"));
    await writeFile(at("mods/sub/x.jar"), "nested");
    await writeFile(at("mods/notes.txt"), "text");
    for (const file of [
      "../x.jar",
      "mods/../../x.jar",
      "mods/../server.jar",
      "server.jar",
      "config/x.jar",
      "mods/sub/x.jar",
      "mods/notes.txt",
      "mods",
      "/etc/passwd.jar",
      "mods\\x.jar",
      "Mods/x.jar",
    ]) {
      expect(await refusal(file, "remove"), file).toMatchObject({ code: "BAD_REQUEST" });
    }
    expect(await exists(path.join(base, "x.jar"))).toBe(true);
    expect(await exists(at("server.jar"))).toBe(true);
    expect(await exists(at("config/x.jar"))).toBe(true);
    expect(await exists(at("mods/sub/x.jar"))).toBe(true);
  });

  it("refuses a mods folder or a jar that is a symlink leading outside (FORBIDDEN)", async () => {
    const outside = path.join(base, "elsewhere");
    await mkdir(outside);
    const victim = await writeJar(path.join(outside, "victim.jar"), fabricJar("victim"));
    await rm(at("plugins"), { recursive: true });
    await symlink(outside, at("plugins"));
    await symlink(victim, at("mods/link.jar"));

    expect(await refusal("plugins/victim.jar", "remove")).toEqual({
      code: "FORBIDDEN",
      message: "plugins leads outside the server's folder",
    });
    expect(await refusal("mods/link.jar", "remove")).toMatchObject({ code: "FORBIDDEN" });
    expect(await refusal("mods/link.jar", "disable")).toMatchObject({ code: "FORBIDDEN" });
    expect(await exists(victim)).toBe(true);
    expect(await names("mods")).toEqual(["link.jar"]);
  });

  it("acts on a symlinked jar inside the folder as a link, never on what it points to", async () => {
    const real = await writeJar(at("libs/real.jar"), fabricJar("real"));
    await symlink(real, at("mods/real.jar"));
    await applyModAction(root, "mods/real.jar", "disable");
    expect(await names("mods")).toEqual(["real.jar.disabled"]);
    await applyModAction(root, "mods/real.jar.disabled", "remove");
    expect(await names("mods")).toEqual([]);
    expect(await exists(real)).toBe(true);
  });
});
