// The jars in a server's mods/ and plugins/ folders, each with what its metadata says, and the
// required dependencies that no enabled jar provides.
import type { Dirent } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import type { MissingDependency, ModFolder, ModInfo, ModListing } from "@berth/protocol";
import { FileError, resolveInside } from "../files/server-paths";
import type { ModMetadata } from "./mod-metadata";
import { readMod } from "./read-mod";

export const MOD_FOLDERS: readonly ModFolder[] = ["mods", "plugins"];
/** The suffix a disabled jar carries: the loaders only load `*.jar`. */
export const DISABLED_SUFFIX = ".disabled";
/** Jars listed per folder at most (a folder with more is listed in part). */
const MAX_JARS_PER_FOLDER = 2000;
/** Jars read at once. */
const CONCURRENCY = 4;

const JAR_NAME = /\.jar(?:\.disabled)?$/i;

export function isJarName(name: string): boolean {
  return JAR_NAME.test(name);
}

export function isDisabledName(name: string): boolean {
  return name.toLowerCase().endsWith(`.jar${DISABLED_SUFFIX}`);
}

/** A listed jar and the ids it provides (which the wire listing does not carry). */
export interface ListedMod {
  info: ModInfo;
  provides: string[];
}

/** Lists both folders under `root` (the server's data folder); a missing folder lists nothing. */
export async function listMods(root: string): Promise<ModListing> {
  const listed: ListedMod[] = [];
  for (const folder of MOD_FOLDERS) listed.push(...(await listFolder(root, folder)));
  return { mods: listed.map((mod) => mod.info), missing: missingDependencies(listed) };
}

/**
 * Required dependencies of enabled jars that no enabled jar provides. Ids are compared without
 * regard to case (plugin names are written in several ways).
 */
export function missingDependencies(mods: readonly ListedMod[]): MissingDependency[] {
  const enabled = mods.filter((mod) => mod.info.enabled);
  const provided = new Set(enabled.flatMap((mod) => mod.provides.map((id) => id.toLowerCase())));
  const missing: MissingDependency[] = [];
  for (const { info } of enabled) {
    for (const dependency of info.dependencies) {
      if (!dependency.required || provided.has(dependency.id.toLowerCase())) continue;
      missing.push({ file: info.file, modId: info.id, dependencyId: dependency.id });
    }
  }
  return missing;
}

async function listFolder(root: string, folder: ModFolder): Promise<ListedMod[]> {
  let absolute: string;
  try {
    ({ absolute } = await resolveInside(root, folder));
  } catch (error) {
    // Only the data folder itself can be missing here (a server still being provisioned).
    if (error instanceof FileError && error.code === "NOT_FOUND") return [];
    throw error;
  }
  let dirents: Dirent[];
  try {
    dirents = await readdir(absolute, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return [];
    throw error;
  }
  const jars = dirents
    .filter((dirent) => (dirent.isFile() || dirent.isSymbolicLink()) && isJarName(dirent.name))
    .map((dirent) => dirent.name)
    .sort((a, b) => a.localeCompare(b))
    .slice(0, MAX_JARS_PER_FOLDER);
  const listed = await mapLimited(jars, CONCURRENCY, (name) => describeJar(root, folder, name));
  return listed.filter((mod): mod is ListedMod => mod !== null);
}

/** Null when the name is not a file after all (a symlink to a folder, or gone meanwhile). */
async function describeJar(
  root: string,
  folder: ModFolder,
  name: string,
): Promise<ListedMod | null> {
  const file = `${folder}/${name}`;
  const base = {
    file,
    folder,
    enabled: !isDisabledName(name),
  };
  let target: string;
  try {
    // A symlinked jar is read only when it stays inside the server's folder.
    target = (await resolveInside(root, file)).absolute;
  } catch (error) {
    if (!(error instanceof FileError)) throw error;
    return { info: { ...base, ...unread(error.message), sizeBytes: 0 }, provides: [] };
  }
  const info = await stat(target).catch(() => null);
  if (!info?.isFile()) return null;
  const read = await readMod(target, folder);
  if (!read.ok) {
    return { info: { ...base, ...unread(read.error), sizeBytes: info.size }, provides: [] };
  }
  return {
    info: { ...base, ...described(read.metadata), sizeBytes: info.size },
    provides: read.metadata?.provides ?? [],
  };
}

function described(metadata: ModMetadata | null) {
  // A jar without metadata is fine (libraries have none): nothing to say, nothing wrong.
  if (!metadata) return unread(null);
  return {
    id: metadata.id,
    name: metadata.name,
    version: metadata.version,
    loader: metadata.loader,
    dependencies: metadata.dependencies,
    error: null,
  };
}

function unread(error: string | null) {
  return {
    id: null,
    name: null,
    version: null,
    loader: "unknown" as const,
    dependencies: [],
    error,
  };
}

async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
