import { modForCrash, type MissingDependency, type ModInfo } from "@berth/protocol";

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

/**
 * The jar to mark on the Mods tab: the one the linked crash names (the protocol's rule, which also
 * reads its log), else the one a bare `mod` parameter names.
 */
export function highlightedMod(
  crash: { class: string; subject: string | null; logTail: readonly string[] } | null,
  subject: string | null,
  mods: readonly ModInfo[],
): ModInfo | null {
  if (crash && crash.class === "mod_or_plugin_error") {
    const found = modForCrash(
      { class: "mod_or_plugin_error", subject: crash.subject, logTail: [...crash.logTail] },
      mods,
    );
    if (found) return found;
  }
  if (!subject) return null;
  return modForCrash({ class: "mod_or_plugin_error", subject, logTail: [] }, mods);
}
