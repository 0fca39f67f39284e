// plugin.yml (Bukkit, Spigot, Paper) and paper-plugin.yml (Paper's own plugin format).
import type { ModDependency } from "@berth/protocol";
import { isScalar, parseDocument as parseYaml } from "yaml";
import { MetadataError, cleanDependencies, isRecord, text, type ModMetadata } from "./mod-metadata";

export const PLUGIN_YML = "plugin.yml";
export const PAPER_PLUGIN_YML = "paper-plugin.yml";

/** A plugin is known by its name: that is what other plugins' `depend` lists say. */
export function parsePluginYml(source: string): ModMetadata {
  const { yaml, version } = parseDocument(PLUGIN_YML, source);
  const name = text(yaml.name);
  if (!name) throw new MetadataError(PLUGIN_YML, "has no name");
  const provides = [name, ...names(yaml.provides)];
  const dependencies = [
    ...names(yaml.depend).map((id) => ({ id, versionRange: null, required: true })),
    ...names(yaml.softdepend).map((id) => ({ id, versionRange: null, required: false })),
  ];
  return {
    loader: "bukkit",
    id: name,
    name,
    version,
    provides,
    dependencies: cleanDependencies(dependencies, provides),
  };
}

/**
 * `dependencies: { server: { Name: { required: true, load: BEFORE } }, bootstrap: { … } }`, or the
 * first format's list `dependencies: [{ name, required }]`; `required` defaults to true.
 */
export function parsePaperPluginYml(source: string): ModMetadata {
  const { yaml, version } = parseDocument(PAPER_PLUGIN_YML, source);
  const name = text(yaml.name);
  if (!name) throw new MetadataError(PAPER_PLUGIN_YML, "has no name");
  const provides = [name, ...names(yaml.provides)];
  const dependencies: ModDependency[] = [];
  const declared = yaml.dependencies;
  if (Array.isArray(declared)) {
    for (const entry of declared) {
      const id = isRecord(entry) ? text(entry.name) : null;
      if (id) dependencies.push({ id, versionRange: null, required: entry.required !== false });
    }
  } else if (isRecord(declared)) {
    for (const phase of ["server", "bootstrap"]) {
      const map = declared[phase];
      if (!isRecord(map)) continue;
      for (const [id, options] of Object.entries(map)) {
        const required = !(isRecord(options) && options.required === false);
        dependencies.push({ id, versionRange: null, required });
      }
    }
  }
  return {
    loader: "paper",
    id: name,
    name,
    version,
    provides,
    dependencies: cleanDependencies(dependencies, provides),
  };
}

/** The document as plain values, and `version` as written (`1.0` is not the number 1). */
function parseDocument(
  file: string,
  source: string,
): { yaml: Record<string, unknown>; version: string | null } {
  let yaml: unknown;
  let version: string | null;
  try {
    const document = parseYaml(source);
    const [error] = document.errors;
    if (error) throw error;
    // Aliases are bounded so a small file cannot expand into a huge one.
    yaml = document.toJS({ maxAliasCount: 100 });
    const node = document.get("version", true);
    version = isScalar(node) && typeof node.source === "string" ? text(node.source) : null;
  } catch (error) {
    throw new MetadataError(file, `is not valid YAML (${firstLine((error as Error).message)})`);
  }
  if (!isRecord(yaml)) throw new MetadataError(file, "is not a YAML mapping");
  return { yaml, version: version ?? text(yaml.version) };
}

/** A list of names, or one name on its own. */
function names(value: unknown): string[] {
  const list = Array.isArray(value) ? value : [value];
  return list.map((entry) => text(entry)).filter((entry): entry is string => !!entry);
}

function firstLine(message: string): string {
  return message.split("\n")[0]!.slice(0, 200);
}
