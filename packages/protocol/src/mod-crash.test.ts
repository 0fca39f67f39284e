import { describe, expect, it } from "vitest";
import type { ModInfo } from "./files";
import { jarStem, modForCrash } from "./mod-crash";

const mod = (file: string, over: Partial<ModInfo> = {}): ModInfo => ({
  file,
  folder: file.startsWith("plugins/") ? "plugins" : "mods",
  enabled: !file.endsWith(".disabled"),
  sizeBytes: 1,
  id: null,
  name: null,
  version: null,
  loader: "fabric",
  dependencies: [],
  error: null,
  ...over,
});

const mods = [
  mod("mods/sodium-fabric-0.5.8+mc1.20.4.jar", { id: "sodium", name: "Sodium" }),
  mod("mods/fabric-api-0.92.0.jar", { id: "fabric-api", name: "Fabric API" }),
  mod("mods/create-1.20.1-0.5.1.f.jar", { id: "create", name: "Create", loader: "forge" }),
  mod("mods/lib-no-meta.jar"),
  mod("plugins/EssentialsX-2.20.1.jar", { id: "Essentials", name: "Essentials", loader: "bukkit" }),
];

const crash = (subject: string | null, logTail: string[] = []) => ({
  class: "mod_or_plugin_error" as const,
  subject,
  logTail,
});

describe("modForCrash", () => {
  it("finds the mod by the id a loader names", () => {
    expect(modForCrash(crash("create"), mods)?.file).toBe("mods/create-1.20.1-0.5.1.f.jar");
    expect(modForCrash(crash("sodium"), mods)?.id).toBe("sodium");
  });

  it("finds it by name, ignoring case and punctuation", () => {
    expect(modForCrash(crash("fabric_api"), mods)?.id).toBe("fabric-api");
    expect(modForCrash(crash("FABRIC API"), mods)?.id).toBe("fabric-api");
    expect(modForCrash(crash("essentials"), mods)?.file).toBe("plugins/EssentialsX-2.20.1.jar");
  });

  it("finds it by the jar name a stack frame carries (version removed by the rule)", () => {
    expect(modForCrash(crash("sodium-fabric"), mods)?.id).toBe("sodium");
    expect(modForCrash(crash("lib-no-meta"), mods)?.file).toBe("mods/lib-no-meta.jar");
    expect(modForCrash(crash("EssentialsX"), mods)?.id).toBe("Essentials");
  });

  it("falls back to a log line naming a listed jar's file", () => {
    const found = modForCrash(
      crash(null, [
        "[main/ERROR]: something broke",
        "\tat net.example.Thing.run(Thing.java:12) ~[fabric-api-0.92.0.jar:?]",
      ]),
      mods,
    );
    expect(found?.id).toBe("fabric-api");
    expect(modForCrash(crash("unknown-thing", ["nothing here", "xlib-no-meta.jar"]), mods)).toBe(
      null,
    );
  });

  it("prefers an enabled jar over a disabled copy", () => {
    const both = [mod("mods/old-sodium.jar.disabled", { id: "sodium" }), ...mods];
    expect(modForCrash(crash("sodium"), both)?.file).toBe("mods/sodium-fabric-0.5.8+mc1.20.4.jar");
  });

  it("links only mod_or_plugin_error crashes, and nothing when nothing fits", () => {
    expect(modForCrash({ ...crash("create"), class: "missing_dependency" }, mods)).toBe(null);
    expect(modForCrash(crash("worldedit"), mods)).toBe(null);
    expect(modForCrash(crash("create"), [])).toBe(null);
  });
});

describe("jarStem", () => {
  it("drops folder, .jar, .disabled and the version", () => {
    expect(jarStem("mods/Sodium-0.5.8.jar")).toBe("Sodium");
    expect(jarStem("mods/create-1.20.1-0.5.1.f.jar.disabled")).toBe("create");
    expect(jarStem("plugins/Vault.jar")).toBe("Vault");
  });
});
