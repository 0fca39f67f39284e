// Which listed mod or plugin a crash names: pure and browser-safe, so the portal's pages link a
// `mod_or_plugin_error` crash to the jar in the Mods tab with the same rule everywhere.
import type { ServerCrashEvent } from "./crashes";
import type { ModInfo } from "./files";

/** Lower case, letters and digits only: "Fabric API", "fabric-api" and "fabric_api" are one. */
const normalize = (text: string) => text.toLowerCase().replace(/[^a-z0-9]/g, "");

/** The jar's name without folder, `.jar`/`.disabled` and version: `mods/Sodium-0.5.8.jar` → "Sodium". */
export function jarStem(file: string): string {
  const name = file.split("/").pop() ?? file;
  return name
    .replace(/\.disabled$/i, "")
    .replace(/\.jar$/i, "")
    .replace(/[-_+ ]v?\d[\w.+-]*$/i, "");
}

/**
 * The mod or plugin a crash classified `mod_or_plugin_error` names, or null (other classes, or
 * nothing listed fits). The crash rule's `subject` is matched against ids and names (exactly,
 * then ignoring case and punctuation), then against jar names without their version (a stack
 * frame names the jar); without a match, the first log line naming a listed jar's file decides.
 * Enabled jars win over disabled ones that match as well.
 */
export function modForCrash(
  crash: Pick<ServerCrashEvent, "class" | "subject" | "logTail">,
  mods: readonly ModInfo[],
): ModInfo | null {
  if (crash.class !== "mod_or_plugin_error") return null;
  const ordered = [...mods.filter((mod) => mod.enabled), ...mods.filter((mod) => !mod.enabled)];
  return (crash.subject && bySubject(crash.subject, ordered)) || byLogTail(crash.logTail, ordered);
}

function bySubject(subject: string, mods: readonly ModInfo[]): ModInfo | null {
  const raw = subject.trim();
  if (!raw) return null;
  const exact = mods.find((mod) => mod.id === raw || mod.name === raw);
  if (exact) return exact;
  const key = normalize(raw);
  if (!key) return null;
  return (
    mods.find((mod) => normalize(mod.id ?? "") === key || normalize(mod.name ?? "") === key) ??
    mods.find((mod) => normalize(jarStem(mod.file)) === key) ??
    null
  );
}

function byLogTail(lines: readonly string[], mods: readonly ModInfo[]): ModInfo | null {
  const named = mods
    .map((mod) => ({ mod, name: (mod.file.split("/").pop() ?? "").replace(/\.disabled$/i, "") }))
    .filter(({ name }) => name.length > 4)
    // The longest name first, so `sodium-extra.jar` is not taken for `extra.jar`.
    .sort((a, b) => b.name.length - a.name.length);
  for (const line of lines) {
    const lower = line.toLowerCase();
    const found = named.find(({ name }) => containsName(lower, name.toLowerCase()));
    if (found) return found.mod;
  }
  return null;
}

/** `name` in `line`, not as the tail of a longer file name (`xsodium.jar` is not `sodium.jar`). */
function containsName(line: string, name: string): boolean {
  let at = line.indexOf(name);
  while (at !== -1) {
    const before = at === 0 ? "" : line[at - 1]!;
    if (!/[\w.+-]/.test(before)) return true;
    at = line.indexOf(name, at + 1);
  }
  return false;
}
