// fabric.mod.json (Fabric) and quilt.mod.json (Quilt, which also loads Fabric mods).
import type { ModDependency } from "@berth/protocol";
import { MetadataError, cleanDependencies, isRecord, text, type ModMetadata } from "./mod-metadata";

export const FABRIC_MOD_JSON = "fabric.mod.json";
export const QUILT_MOD_JSON = "quilt.mod.json";

export function parseFabricModJson(source: string): ModMetadata {
  const json = parseJson(FABRIC_MOD_JSON, source);
  const id = text(json.id);
  if (!id) throw new MetadataError(FABRIC_MOD_JSON, "has no id");
  const provides = [id, ...stringList(json.provides)];
  const dependencies = [
    ...fabricDependencies(json.depends, true),
    ...fabricDependencies(json.recommends, false),
  ];
  return {
    loader: "fabric",
    id,
    name: text(json.name),
    version: text(json.version),
    provides,
    dependencies: cleanDependencies(dependencies, provides),
  };
}

/** `{ "modid": ">=1.0" | [">=1.0", "<2"] }` */
function fabricDependencies(value: unknown, required: boolean): ModDependency[] {
  if (!isRecord(value)) return [];
  return Object.entries(value).map(([id, range]) => ({
    id,
    versionRange: versionRange(range),
    required,
  }));
}

export function parseQuiltModJson(source: string): ModMetadata {
  const json = parseJson(QUILT_MOD_JSON, source);
  const loader = isRecord(json.quilt_loader) ? json.quilt_loader : null;
  const id = loader ? text(loader.id) : null;
  if (!loader || !id) throw new MetadataError(QUILT_MOD_JSON, "has no quilt_loader.id");
  const metadata = isRecord(loader.metadata) ? loader.metadata : {};
  const provides = [
    id,
    ...(Array.isArray(loader.provides) ? loader.provides : []).flatMap((entry) => {
      const provided = isRecord(entry) ? text(entry.id) : text(entry);
      return provided ? [provided] : [];
    }),
  ];
  const dependencies = (Array.isArray(loader.depends) ? loader.depends : []).flatMap(
    (entry): ModDependency[] => {
      if (typeof entry === "string") return [{ id: entry, versionRange: null, required: true }];
      if (!isRecord(entry)) return [];
      const dependencyId = text(entry.id);
      if (!dependencyId) return [];
      return [
        {
          id: dependencyId,
          versionRange: versionRange(entry.versions),
          required: entry.optional !== true,
        },
      ];
    },
  );
  return {
    // Quilt runs Fabric mods; the listing knows the two as one family.
    loader: "fabric",
    id,
    name: text(metadata.name),
    version: text(loader.version),
    provides,
    dependencies: cleanDependencies(dependencies, provides),
  };
}

function parseJson(file: string, source: string): Record<string, unknown> {
  let json: unknown;
  try {
    json = JSON.parse(source);
  } catch (error) {
    throw new MetadataError(file, `is not valid JSON (${(error as Error).message})`);
  }
  if (!isRecord(json)) throw new MetadataError(file, "is not a JSON object");
  return json;
}

function versionRange(value: unknown): string | null {
  if (Array.isArray(value)) {
    const parts = value.map((part) => text(part)).filter((part): part is string => !!part);
    return parts.length > 0 ? parts.join(" || ").slice(0, 200) : null;
  }
  if (isRecord(value)) return null;
  return text(value);
}

function stringList(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.map((entry) => text(entry)).filter((entry): entry is string => !!entry);
}
