import type { MissingDependency, ModInfo } from "@berth/protocol";

const normalize = (text: string) => text.toLowerCase().replace(/[^a-z0-9]/g, "");

/** The jar's name without folder, version and `.jar`/`.disabled`: `mods/Sodium-0.5.jar` → "sodium". */
function jarStem(file: string): string {
  const name = file.split("/").pop() ?? file;
  return name
    .replace(/\.disabled$/i, "")
    .replace(/\.jar$/i, "")
    .replace(/[-_+ ]?v?\d[\w.+-]*$/i, "");
}

/**
 * The mod a crash names (its `subject`, the text the crash rule captured), or null: an exact id or
 * name first, then the jar's name, then ignoring case and punctuation ("Fabric API" is `fabric-api`).
 */
export function modForCrashSubject(subject: string, mods: readonly ModInfo[]): ModInfo | null {
  const raw = subject.trim();
  if (!raw) return null;
  const exact = mods.find((m) => m.id === raw || m.name === raw);
  if (exact) return exact;
  const key = normalize(raw);
  if (!key) return null;
  return (
    mods.find((m) => normalize(m.id ?? "") === key || normalize(m.name ?? "") === key) ??
    mods.find((m) => normalize(jarStem(m.file)) === key) ??
    mods.find((m) => normalize(m.file.split("/").pop() ?? "").startsWith(key)) ??
    null
  );
}

/** How a mod is shown: its name, else its id, else the jar's file name. */
export function modTitle(mod: ModInfo): string {
  return mod.name ?? mod.id ?? mod.file.split("/").pop() ?? mod.file;
}

/** The missing dependencies of each jar, by `file`. */
export function missingByFile(missing: readonly MissingDependency[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const m of missing) {
    const list = out.get(m.file) ?? [];
    if (!list.includes(m.dependencyId)) list.push(m.dependencyId);
    out.set(m.file, list);
  }
  return out;
}

/** Where an uploaded jar lands in the chosen folder (its file name only, whatever the browser sent). */
export function installPath(fileName: string, folder: "mods" | "plugins"): string {
  return `${folder}/${fileName.split(/[\\/]/).pop() ?? fileName}`;
}
