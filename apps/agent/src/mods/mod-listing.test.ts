import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { ModInfo } from "@berth/protocol";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { listMods, missingDependencies } from "./mod-listing";
import { fabricJar, pluginJar, writeJar } from "./test-jars";

let base: string;
let root: string;
beforeEach(async () => {
  base = await mkdtemp(path.join(tmpdir(), "berth-mods-"));
  root = path.join(base, "data");
  await mkdir(root);
});
afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

const at = (file: string) => path.join(root, file);

describe("listMods", () => {
  it("lists nothing when mods/ and plugins/ do not exist", async () => {
    expect(await listMods(root)).toEqual({ mods: [], missing: [] });
  });

  it("lists nothing while the server's data folder is not made yet", async () => {
    expect(await listMods(path.join(base, "not-yet"))).toEqual({ mods: [], missing: [] });
  });

  it("refuses a mods folder that is a symlink leading outside", async () => {
    const outside = path.join(base, "outside");
    await writeJar(path.join(outside, "secret.jar"), fabricJar("secret"));
    await symlink(outside, at("mods"));
    await expect(listMods(root)).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: "mods leads outside the server's folder",
    });
  });

  it("lists only *.jar and *.jar.disabled of both folders, with metadata, size and state", async () => {
    await writeJar(at("mods/sodium-0.5.8.jar"), fabricJar("sodium", { name: "Sodium" }));
    await writeJar(at("mods/lithium.jar.disabled"), fabricJar("lithium"));
    await writeJar(at("plugins/Vault.jar"), pluginJar("Vault"));
    await writeFile(at("mods/readme.txt"), "not a jar");
    await writeFile(at("mods/sodium.jar.bak"), "not a jar either");
    await mkdir(at("mods/folder.jar"));
    await writeJar(at("mods/nested/deep.jar"), fabricJar("deep"));

    const { mods } = await listMods(root);
    expect(mods.map((mod) => [mod.file, mod.folder, mod.enabled, mod.id, mod.loader])).toEqual([
      ["mods/lithium.jar.disabled", "mods", false, "lithium", "fabric"],
      ["mods/sodium-0.5.8.jar", "mods", true, "sodium", "fabric"],
      ["plugins/Vault.jar", "plugins", true, "Vault", "bukkit"],
    ]);
    expect(mods[1]).toMatchObject({ name: "Sodium", version: "1.0.0", error: null });
    expect(mods[1]!.sizeBytes).toBeGreaterThan(100);
  });

  it("keeps a corrupt jar in the listing with its error, next to good ones", async () => {
    await mkdir(at("mods"));
    await writeFile(at("mods/broken.jar"), "definitely not a zip");
    await writeJar(at("mods/good.jar"), fabricJar("good"));
    await writeJar(at("mods/lib.jar"), { "com/x/Lib.class": "x" });

    const { mods } = await listMods(root);
    expect(mods).toEqual([
      expect.objectContaining({
        file: "mods/broken.jar",
        id: null,
        loader: "unknown",
        error: expect.stringMatching(/^Not a readable jar/),
      }),
      expect.objectContaining({ file: "mods/good.jar", id: "good", error: null }),
      expect.objectContaining({ file: "mods/lib.jar", id: null, loader: "unknown", error: null }),
    ]);
  });

  it("does not read a symlinked jar that leads out of the server's folder", async () => {
    const outside = await writeJar(path.join(base, "outside.jar"), fabricJar("secret"));
    await mkdir(at("mods"));
    await symlink(outside, at("mods/link.jar"));
    const { mods } = await listMods(root);
    expect(mods).toEqual([
      expect.objectContaining({
        file: "mods/link.jar",
        id: null,
        error: "mods/link.jar leads outside the server's folder",
      }),
    ]);
  });

  it("warns about required dependencies no enabled jar provides", async () => {
    await writeJar(
      at("mods/create.jar"),
      fabricJar("create", {
        depends: { minecraft: "*", fabricloader: "*", "fabric-api": "*", flywheel: "*" },
        recommends: { jei: "*" },
      }),
    );
    await writeJar(at("mods/fabric-api.jar"), fabricJar("fabric-api"));
    // Disabled: provides nothing.
    await writeJar(at("mods/flywheel.jar.disabled"), fabricJar("flywheel"));
    // Disabled: its own missing dependencies do not count.
    await writeJar(at("mods/off.jar.disabled"), fabricJar("off", { depends: { nothere: "*" } }));
    await writeJar(at("plugins/Chat.jar"), pluginJar("Chat", "depend: [essentials, Vault]\n"));
    await writeJar(at("plugins/Essentials.jar"), pluginJar("Essentials"));

    expect((await listMods(root)).missing).toEqual([
      { file: "mods/create.jar", modId: "create", dependencyId: "flywheel" },
      { file: "plugins/Chat.jar", modId: "Chat", dependencyId: "Vault" },
    ]);
  });
});

describe("missingDependencies", () => {
  const mod = (file: string, over: Partial<ModInfo>, provides: string[] = []) => ({
    info: {
      file,
      folder: "mods" as const,
      enabled: true,
      sizeBytes: 1,
      id: null,
      name: null,
      version: null,
      loader: "fabric" as const,
      dependencies: [],
      error: null,
      ...over,
    },
    provides,
  });

  it("counts ids another jar provides (fabric `provides`, a forge jar's second mod)", () => {
    expect(
      missingDependencies([
        mod(
          "mods/a.jar",
          { id: "a", dependencies: [{ id: "b", versionRange: null, required: true }] },
          ["a"],
        ),
        mod("mods/multi.jar", { id: "m" }, ["m", "b"]),
      ]),
    ).toEqual([]);
    expect(
      missingDependencies([
        mod(
          "mods/a.jar",
          { id: "a", dependencies: [{ id: "b", versionRange: null, required: true }] },
          ["a"],
        ),
      ]),
    ).toEqual([{ file: "mods/a.jar", modId: "a", dependencyId: "b" }]);
  });
});
