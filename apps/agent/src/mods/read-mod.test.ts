import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { METADATA_MAX_BYTES } from "./jar-reader";
import { readMod } from "./read-mod";
import { writeJar } from "./test-jars";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "berth-mods-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const jar = (files: Record<string, string>) => writeJar(path.join(dir, "x.jar"), files);

describe("readMod", () => {
  it("reads fabric.mod.json: id, name, version, depends (required) and recommends (optional)", async () => {
    const file = await jar({
      "fabric.mod.json": JSON.stringify({
        schemaVersion: 1,
        id: "sodium",
        name: "Sodium",
        version: "0.5.8+mc1.20.4",
        depends: {
          fabricloader: ">=0.15",
          minecraft: "1.20.4",
          java: ">=17",
          "fabric-api": ["*"],
          indium: [">=1.0", "<2"],
        },
        recommends: { modmenu: "*" },
      }),
    });
    expect(await readMod(file, "mods")).toEqual({
      ok: true,
      metadata: {
        loader: "fabric",
        id: "sodium",
        name: "Sodium",
        version: "0.5.8+mc1.20.4",
        provides: ["sodium"],
        dependencies: [
          { id: "fabric-api", versionRange: "*", required: true },
          { id: "indium", versionRange: ">=1.0 || <2", required: true },
          { id: "modmenu", versionRange: "*", required: false },
        ],
      },
    });
  });

  it("reads quilt.mod.json as a mod of the Fabric family", async () => {
    const file = await jar({
      "quilt.mod.json": JSON.stringify({
        schema_version: 1,
        quilt_loader: {
          id: "qsl_thing",
          version: "2.0.0",
          metadata: { name: "QSL Thing" },
          depends: [
            "quilt_loader",
            { id: "qsl", versions: ">=6" },
            { id: "extra", optional: true },
          ],
        },
      }),
    });
    const read = await readMod(file, "mods");
    expect(read).toMatchObject({
      ok: true,
      metadata: {
        loader: "fabric",
        id: "qsl_thing",
        name: "QSL Thing",
        version: "2.0.0",
        dependencies: [
          { id: "qsl", versionRange: ">=6", required: true },
          { id: "extra", versionRange: null, required: false },
        ],
      },
    });
  });

  it("reads META-INF/mods.toml (Forge), taking ${file.jarVersion} from the manifest", async () => {
    const file = await jar({
      "META-INF/MANIFEST.MF":
        "Manifest-Version: 1.0\r\nImplementation-Title: jei\r\nImplementation-Version: 15.3.0.\r\n 4\r\n\r\nName: other\r\nImplementation-Version: 9\r\n",
      "META-INF/mods.toml": `
modLoader="javafml"
loaderVersion="[47,)"
license="MIT"

[[mods]]
modId="jei"
version="\${file.jarVersion}"
displayName="Just Enough Items"

[[dependencies.jei]]
    modId="forge"
    mandatory=true
    versionRange="[47.1.3,)"
    ordering="NONE"
    side="BOTH"
[[dependencies.jei]]
    modId="minecraft"
    mandatory=true
    versionRange="[1.20.1,1.20.2)"
[[dependencies.jei]]
    modId="architectury"
    mandatory=true
    versionRange="[9.0,)"
[[dependencies.jei]]
    modId="cloth_config"
    mandatory=false
`,
    });
    expect(await readMod(file, "mods")).toEqual({
      ok: true,
      metadata: {
        loader: "forge",
        id: "jei",
        name: "Just Enough Items",
        version: "15.3.0.4",
        provides: ["jei"],
        dependencies: [
          { id: "architectury", versionRange: "[9.0,)", required: true },
          { id: "cloth_config", versionRange: null, required: false },
        ],
      },
    });
  });

  it("reads META-INF/neoforge.mods.toml (NeoForge) with type = required / optional / incompatible", async () => {
    const file = await jar({
      "META-INF/neoforge.mods.toml": `
modLoader = "javafml"
loaderVersion = "[2,)"

[[mods]]
modId = "create"
version = "6.0.4"
displayName = "Create"

[[mods]]
modId = "create_bundled"
version = "6.0.4"

[[dependencies.create]]
modId = "neoforge"
type = "required"
versionRange = "[21.1,)"
[[dependencies.create]]
modId = "ponder"
type = "required"
versionRange = "[1.0.0,)"
[[dependencies.create]]
modId = "flywheel"
type = "optional"
[[dependencies.create]]
modId = "optifine"
type = "incompatible"
[[dependencies.create_bundled]]
modId = "create"
type = "required"
`,
    });
    expect(await readMod(file, "mods")).toEqual({
      ok: true,
      metadata: {
        loader: "neoforge",
        id: "create",
        name: "Create",
        version: "6.0.4",
        provides: ["create", "create_bundled"],
        dependencies: [
          { id: "ponder", versionRange: "[1.0.0,)", required: true },
          { id: "flywheel", versionRange: null, required: false },
        ],
      },
    });
  });

  it("reads plugin.yml (Bukkit): name, version as written, depend and softdepend", async () => {
    const file = await jar({
      "plugin.yml": [
        "name: EssentialsXChat",
        // As written: YAML alone would make this the number 2.1.
        "version: 2.10",
        "main: com.earth2me.essentials.chat.EssentialsChat",
        "depend: [Essentials]",
        "softdepend:",
        "  - Vault",
        "  - LuckPerms",
      ].join("\n"),
    });
    expect(await readMod(file, "plugins")).toEqual({
      ok: true,
      metadata: {
        loader: "bukkit",
        id: "EssentialsXChat",
        name: "EssentialsXChat",
        version: "2.10",
        provides: ["EssentialsXChat"],
        dependencies: [
          { id: "Essentials", versionRange: null, required: true },
          { id: "Vault", versionRange: null, required: false },
          { id: "LuckPerms", versionRange: null, required: false },
        ],
      },
    });
  });

  it("reads paper-plugin.yml (Paper) and its dependencies.server map, before plugin.yml", async () => {
    const file = await jar({
      "plugin.yml": "name: Old\nversion: 0.1\nmain: x.Old\n",
      "paper-plugin.yml": [
        "name: Chunky",
        "version: '1.4.28'",
        "main: org.popcraft.chunky.ChunkyPaper",
        "api-version: '1.20'",
        "dependencies:",
        "  server:",
        "    WorldBorder:",
        "      load: BEFORE",
        "      required: false",
        "    ProtocolLib:",
        "      load: BEFORE",
        "  bootstrap:",
        "    Vault:",
        "      required: true",
      ].join("\n"),
    });
    expect(await readMod(file, "plugins")).toEqual({
      ok: true,
      metadata: {
        loader: "paper",
        id: "Chunky",
        name: "Chunky",
        version: "1.4.28",
        provides: ["Chunky"],
        dependencies: [
          { id: "WorldBorder", versionRange: null, required: false },
          { id: "ProtocolLib", versionRange: null, required: true },
          { id: "Vault", versionRange: null, required: true },
        ],
      },
    });
  });

  it("describes a corrupt jar by its error instead of throwing", async () => {
    const file = path.join(dir, "broken.jar");
    await writeFile(file, "PK\u0003\u0004 this is not really a zip file at all");
    const read = await readMod(file, "mods");
    expect(read.ok).toBe(false);
    expect(!read.ok && read.error).toMatch(/^Not a readable jar: /);
  });

  it("describes a truncated jar by its error", async () => {
    const whole = await jar({ "fabric.mod.json": JSON.stringify({ id: "a", version: "1" }) });
    const { readFile } = await import("node:fs/promises");
    const bytes = await readFile(whole);
    const cut = path.join(dir, "cut.jar");
    await writeFile(cut, bytes.subarray(0, bytes.length - 30));
    expect((await readMod(cut, "mods")).ok).toBe(false);
  });

  it("takes a jar without metadata (a library) as nothing to say", async () => {
    const file = await jar({ "com/example/Lib.class": "\u00ca\u00fe" });
    expect(await readMod(file, "mods")).toEqual({ ok: true, metadata: null });
  });

  it("refuses to read a metadata file over 1 MiB, and says so", async () => {
    const file = await jar({
      "fabric.mod.json": JSON.stringify({ id: "big", pad: " ".repeat(METADATA_MAX_BYTES) }),
    });
    expect(await readMod(file, "mods")).toEqual({
      ok: false,
      error: "fabric.mod.json is larger than 1024 KiB; it was not read",
    });
  });

  it("names the file and the reason when the metadata does not parse", async () => {
    const bad = await jar({ "fabric.mod.json": "{ id: sodium" });
    expect(await readMod(bad, "mods")).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^fabric\.mod\.json: is not valid JSON/),
    });
    const toml = await writeJar(path.join(dir, "t.jar"), { "META-INF/mods.toml": "[[mods]\n" });
    expect(await readMod(toml, "mods")).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^META-INF\/mods\.toml: is not valid TOML/),
    });
    const yml = await writeJar(path.join(dir, "y.jar"), { "plugin.yml": "version: 1\n" });
    expect(await readMod(yml, "plugins")).toEqual({ ok: false, error: "plugin.yml: has no name" });
  });

  it("leaves an unfilled version placeholder out rather than showing it", async () => {
    const file = await jar({
      "META-INF/mods.toml": '[[mods]]\nmodId="x"\nversion="${file.jarVersion}"\n',
    });
    expect(await readMod(file, "mods")).toMatchObject({
      ok: true,
      metadata: { id: "x", version: null, name: null },
    });
  });
});
