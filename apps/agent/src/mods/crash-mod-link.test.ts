// The crash classifier's subject and the Mods listing meet in modForCrash: real log lines of each
// loader, classified as the agent does, must lead to the jar listed from a real folder.
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { modForCrash, type ModListing } from "@berth/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { classifyCrash } from "../supervision/crash-classifier";
import { listMods } from "./mod-listing";
import { fabricJar, pluginJar, writeJar } from "./test-jars";

let root: string;
let listing: ModListing;
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "berth-mods-"));
  await mkdir(path.join(root, "mods"));
  await writeJar(path.join(root, "mods/sodium-fabric-0.5.8+mc1.20.4.jar"), fabricJar("sodium"));
  await writeJar(path.join(root, "mods/create-1.20.1-0.5.1.jar"), {
    "META-INF/mods.toml": '[[mods]]\nmodId="create"\nversion="0.5.1"\ndisplayName="Create"\n',
  });
  await writeJar(path.join(root, "plugins/EssentialsX-2.20.1.jar"), pluginJar("Essentials"));
  listing = await listMods(root);
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const linked = (logTail: string[]) => {
  const crash = classifyCrash({
    exit: { exitCode: 1, signal: null, oomKilled: false },
    logTail,
  });
  expect(crash.class).toBe("mod_or_plugin_error");
  return modForCrash({ ...crash, logTail }, listing.mods)?.file ?? null;
};

describe("a mod_or_plugin_error crash links to the listed jar", () => {
  it("by the mod id a Forge loader names", () => {
    expect(linked(["Failed to create mod instance. ModID: create, class x.Create"])).toBe(
      "mods/create-1.20.1-0.5.1.jar",
    );
  });

  it("by the mod id a Fabric entrypoint names", () => {
    expect(
      linked([
        "Could not execute entrypoint stage 'main' due to errors, provided by 'sodium' at 'x.Sodium'!",
      ]),
    ).toBe("mods/sodium-fabric-0.5.8+mc1.20.4.jar");
  });

  it("by the jar a stack frame runs through", () => {
    expect(
      linked([
        "java.lang.NullPointerException: boom",
        "\tat me.jellysquid.Thing.tick(Thing.java:42) ~[sodium-fabric-0.5.8+mc1.20.4.jar:?]",
      ]),
    ).toBe("mods/sodium-fabric-0.5.8+mc1.20.4.jar");
  });

  it("by the plugin name Bukkit names", () => {
    expect(
      linked([
        "[Server thread/ERROR]: Error occurred while enabling Essentials v2.20.1 (Is it up to date?)",
      ]),
    ).toBe("plugins/EssentialsX-2.20.1.jar");
  });
});
