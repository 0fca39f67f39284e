import type { ModInfo } from "@berth/protocol";
import { describe, expect, it } from "vitest";
import { installPath, missingByFile, modForCrashSubject, modTitle } from "./mod-match";

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

describe("modForCrashSubject", () => {
  it("finds a mod by id or name", () => {
    expect(modForCrashSubject("sodium", mods)?.file).toBe("mods/sodium-fabric-0.5.8.jar");
    expect(modForCrashSubject("Fabric API", mods)?.id).toBe("fabric-api");
  });
  it("ignores case and punctuation", () => {
    expect(modForCrashSubject("fabric_api", mods)?.id).toBe("fabric-api");
    expect(modForCrashSubject("LITHIUM", mods)?.id).toBe("lithium");
  });
  it("falls back to the jar's name when the metadata is unreadable", () => {
    expect(modForCrashSubject("EssentialsX", mods)?.file).toBe("plugins/EssentialsX-2.20.1.jar");
  });
  it("answers null for a subject no jar matches", () => {
    expect(modForCrashSubject("worldedit", mods)).toBeNull();
    expect(modForCrashSubject("  ", mods)).toBeNull();
    expect(modForCrashSubject("---", mods)).toBeNull();
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
