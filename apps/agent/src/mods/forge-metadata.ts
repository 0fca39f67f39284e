// META-INF/mods.toml (Forge) and META-INF/neoforge.mods.toml (NeoForge).
import type { ModDependency, ModLoader } from "@berth/protocol";
import { parse as parseToml } from "smol-toml";
import { MetadataError, cleanDependencies, isRecord, text, type ModMetadata } from "./mod-metadata";

export const FORGE_MODS_TOML = "META-INF/mods.toml";
export const NEOFORGE_MODS_TOML = "META-INF/neoforge.mods.toml";
export const MANIFEST = "META-INF/MANIFEST.MF";

/** Dependency kinds (NeoForge's `type`, Forge 1.20.5+) that are not something to install. */
const NOT_A_DEPENDENCY = new Set(["incompatible", "discouraged"]);

/**
 * The first `[[mods]]` entry names the jar; every entry's id is provided by it. `${file.jarVersion}`
 * is the jar's `Implementation-Version` from its manifest.
 */
export function parseModsToml(
  source: string,
  {
    loader,
    manifest,
  }: { loader: Extract<ModLoader, "forge" | "neoforge">; manifest: string | null },
): ModMetadata {
  const file = loader === "neoforge" ? NEOFORGE_MODS_TOML : FORGE_MODS_TOML;
  let toml: Record<string, unknown>;
  try {
    toml = parseToml(source) as Record<string, unknown>;
  } catch (error) {
    throw new MetadataError(file, `is not valid TOML (${firstLine((error as Error).message)})`);
  }
  const mods = (Array.isArray(toml.mods) ? toml.mods : []).filter(isRecord);
  const first = mods[0];
  const id = first ? text(first.modId) : null;
  if (!first || !id) throw new MetadataError(file, "has no [[mods]] entry with a modId");
  const provides = mods.map((mod) => text(mod.modId)).filter((modId): modId is string => !!modId);
  const table = isRecord(toml.dependencies) ? toml.dependencies : {};
  const dependencies = provides.flatMap((modId) =>
    (Array.isArray(table[modId]) ? table[modId] : []).filter(isRecord).flatMap(toDependency),
  );
  return {
    loader,
    id,
    name: text(first.displayName),
    version: resolveVersion(text(first.version), manifest),
    provides,
    dependencies: cleanDependencies(dependencies, provides),
  };
}

function toDependency(entry: Record<string, unknown>): ModDependency[] {
  const id = text(entry.modId);
  if (!id) return [];
  const type = typeof entry.type === "string" ? entry.type.toLowerCase() : null;
  if (type && NOT_A_DEPENDENCY.has(type)) return [];
  // Older Forge says `mandatory`; both loaders now say `type`, whose default is "required".
  const required = type ? type === "required" : entry.mandatory !== false;
  return [{ id, versionRange: text(entry.versionRange), required }];
}

function resolveVersion(version: string | null, manifest: string | null): string | null {
  if (!version) return null;
  if (!version.includes("${")) return version;
  if (version === "${file.jarVersion}") {
    return manifest ? text(manifestAttributes(manifest).get("Implementation-Version")) : null;
  }
  // Another placeholder the build left unfilled: there is no version to show.
  return null;
}

/**
 * The main section of a jar manifest: `Name: value` lines, a line starting with one space
 * continuing the previous value.
 */
export function manifestAttributes(manifest: string): Map<string, string> {
  const attributes = new Map<string, string>();
  let last: string | null = null;
  for (const line of manifest.split(/\r\n|\r|\n/)) {
    if (line === "") break; // The main section ends at the first blank line.
    if (line.startsWith(" ") && last) {
      attributes.set(last, attributes.get(last)! + line.slice(1));
      continue;
    }
    const colon = line.indexOf(": ");
    if (colon <= 0) continue;
    last = line.slice(0, colon);
    attributes.set(last, line.slice(colon + 2));
  }
  return attributes;
}

function firstLine(message: string): string {
  return message.split("\n")[0]!.slice(0, 200);
}
