import type { ModInfo } from "@berth/protocol";
import { describe, expect, it } from "vitest";
import { highlightedMod, installPath, missingByFile, modTitle } from "./mod-match";

const mod = (file: string, id: string | null, name: string | null): ModInfo => ({
  file,
  folder: file.startsWith("plugins/") ? "plugins" : "mods",
  enabled: !file.endsWith(".disabled"),
  sizeBytes: 10,
  id,
  name,
  version: "1.0.0",
  loader: "fabric",
  dependencies: [],
  error: null,
});

const mods = [
  mod("mods/fabric-api-0.92.0.jar", "fabric-api", "Fabric API"),
  mod("mods/sodium-fabric-0.5.8.jar", "sodium", "Sodium"),
  mod("plugins/EssentialsX-2.20.1.jar", null, null),
  mod("mods/lithium.jar.disabled", "lithium", "Lithium"),
];

describe("highlightedMod", () => {
  const crash = (subject: string | null, logTail: string[] = [], cls = "mod_or_plugin_error") => ({
    class: cls,
    subject,
    logTail,
  });
  it("finds the mod a crash names by id or name, ignoring case and punctuation", () => {
    expect(highlightedMod(crash("sodium"), null, mods)?.file).toBe("mods/sodium-fabric-0.5.8.jar");
    expect(highlightedMod(crash("fabric_api"), null, mods)?.id).toBe("fabric-api");
  });
  it("reads the crash's log when the subject matches nothing", () => {
    const tail = ["Caused by: error in mods/lithium.jar.disabled"];
    expect(highlightedMod(crash("unknown", tail), null, mods)?.id).toBe("lithium");
  });
  it("falls back to a bare subject, and to nothing", () => {
    expect(highlightedMod(null, "EssentialsX", mods)?.file).toBe("plugins/EssentialsX-2.20.1.jar");
    expect(highlightedMod(crash("sodium", [], "oom"), null, mods)).toBeNull();
    expect(highlightedMod(null, "worldedit", mods)).toBeNull();
    expect(highlightedMod(null, null, mods)).toBeNull();
  });
});

describe("mod helpers", () => {
  it("titles a mod by name, id or file", () => {
    expect(modTitle(mods[0]!)).toBe("Fabric API");
    expect(modTitle(mods[2]!)).toBe("EssentialsX-2.20.1.jar");
  });
  it("groups missing dependencies by jar", () => {
    const map = missingByFile([
      { file: "mods/a.jar", modId: "a", dependencyId: "fabric-api" },
      { file: "mods/a.jar", modId: "a", dependencyId: "cloth-config" },
      { file: "mods/a.jar", modId: "a", dependencyId: "fabric-api" },
    ]);
    expect(map.get("mods/a.jar")).toEqual(["fabric-api", "cloth-config"]);
  });
  it("installs into the chosen folder by file name", () => {
    expect(installPath("C:\\dl\\x.jar", "plugins")).toBe("plugins/x.jar");
    expect(installPath("x.jar", "mods")).toBe("mods/x.jar");
  });
});
