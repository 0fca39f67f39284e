// What a jar's metadata says, whichever format it came from, and the rules shared by the parsers.
import type { ModDependency, ModLoader } from "@berth/protocol";

export interface ModMetadata {
  loader: ModLoader;
  id: string | null;
  name: string | null;
  version: string | null;
  /** Every id the jar provides (a forge jar may hold several mods; fabric has `provides`). */
  provides: string[];
  dependencies: ModDependency[];
}

/** Ids the game or its loader provide: never a missing mod. */
const BUILT_IN = new Set([
  "minecraft",
  "java",
  "fabricloader",
  "forge",
  "neoforge",
  "quilt_loader",
]);

export function isBuiltIn(id: string): boolean {
  return BUILT_IN.has(id.toLowerCase());
}

/** A field as text, when it is a non-empty string (numbers are taken as written). */
export function text(value: unknown, max = 200): string | null {
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  if (typeof value !== "string") return null;
  const trimmed = value.trim();
  return trimmed === "" ? null : trimmed.slice(0, max);
}

/** Dependencies without the built-in ids, the jar's own ids, and repeats (required wins). */
export function cleanDependencies(
  dependencies: readonly ModDependency[],
  provides: readonly string[],
): ModDependency[] {
  const own = new Set(provides.map((id) => id.toLowerCase()));
  const byId = new Map<string, ModDependency>();
  for (const dependency of dependencies) {
    const key = dependency.id.toLowerCase();
    if (isBuiltIn(key) || own.has(key)) continue;
    const known = byId.get(key);
    if (!known || (dependency.required && !known.required)) byId.set(key, dependency);
  }
  return [...byId.values()].slice(0, 500);
}

/** A parse failure, named after the file it came from. */
export class MetadataError extends Error {
  constructor(file: string, reason: string) {
    super(`${file}: ${reason}`.slice(0, 500));
    this.name = "MetadataError";
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
