// One jar's metadata, from whichever format it carries. Never throws: a jar that cannot be read
// is described by its error.
import type { ModFolder } from "@berth/protocol";
import {
  PAPER_PLUGIN_YML,
  PLUGIN_YML,
  parsePaperPluginYml,
  parsePluginYml,
} from "./bukkit-metadata";
import {
  FABRIC_MOD_JSON,
  QUILT_MOD_JSON,
  parseFabricModJson,
  parseQuiltModJson,
} from "./fabric-metadata";
import { FORGE_MODS_TOML, MANIFEST, NEOFORGE_MODS_TOML, parseModsToml } from "./forge-metadata";
import { METADATA_MAX_BYTES, readJarEntries, type JarEntries } from "./jar-reader";
import type { ModMetadata } from "./mod-metadata";

export type ReadMod = { ok: true; metadata: ModMetadata | null } | { ok: false; error: string };

type Parser = (source: string, manifest: string | null) => ModMetadata;

const FORMATS: Record<string, Parser> = {
  [NEOFORGE_MODS_TOML]: (source, manifest) =>
    parseModsToml(source, { loader: "neoforge", manifest }),
  [FORGE_MODS_TOML]: (source, manifest) => parseModsToml(source, { loader: "forge", manifest }),
  [FABRIC_MOD_JSON]: (source) => parseFabricModJson(source),
  [QUILT_MOD_JSON]: (source) => parseQuiltModJson(source),
  [PAPER_PLUGIN_YML]: (source) => parsePaperPluginYml(source),
  [PLUGIN_YML]: (source) => parsePluginYml(source),
};

const MOD_FORMATS = [NEOFORGE_MODS_TOML, FORGE_MODS_TOML, FABRIC_MOD_JSON, QUILT_MOD_JSON];
const PLUGIN_FORMATS = [PAPER_PLUGIN_YML, PLUGIN_YML];

/**
 * Reads the jar's metadata; a jar carrying several formats (multi-loader builds) is described by
 * the first its folder expects (mods: NeoForge, Forge, Fabric, Quilt; plugins: Paper, Bukkit).
 * A jar without any of them is fine (`metadata: null`): libraries have none.
 */
export async function readMod(jarPath: string, folder: ModFolder): Promise<ReadMod> {
  const order =
    folder === "mods" ? [...MOD_FORMATS, ...PLUGIN_FORMATS] : [...PLUGIN_FORMATS, ...MOD_FORMATS];
  let entries: JarEntries;
  try {
    entries = await readJarEntries(jarPath, [...order, MANIFEST]);
  } catch (error) {
    return { ok: false, error: messageOf(error) };
  }
  const { texts, tooLarge } = entries;
  const format = order.find((name) => texts.has(name) || tooLarge.has(name));
  if (!format) return { ok: true, metadata: null };
  if (tooLarge.has(format)) {
    const limit = Math.round(METADATA_MAX_BYTES / 1024);
    return { ok: false, error: `${format} is larger than ${limit} KiB; it was not read` };
  }
  try {
    return {
      ok: true,
      metadata: FORMATS[format]!(texts.get(format)!, texts.get(MANIFEST) ?? null),
    };
  } catch (error) {
    return { ok: false, error: messageOf(error) };
  }
}

function messageOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 500);
}
