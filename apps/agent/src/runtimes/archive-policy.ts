// Decides, entry by entry, whether a tarball may be extracted into a runtime folder. Pure: it
// sees the entries' headers only, so hostile names are tested without touching a disk.
//
// The rules: paths are relative and never contain `..`; only files, folders, symlinks and
// hardlinks; no entry is written through a symlink; a hardlink names a regular entry inside the
// root; a symlink, resolved through every symlink the archive declares, stays inside the root.
// `finish()` re-checks with the whole archive known, because a symlink may be declared after an
// entry that relies on it.
import { RuntimeError } from "./runtime-errors";

export interface ArchiveEntryHeader {
  path: string;
  type: string;
  linkpath?: string;
  size?: number;
}

export interface ArchiveLimits {
  /** Sum of the declared sizes of all files. */
  maxExtractedBytes: number;
  maxEntries: number;
}

export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = {
  maxExtractedBytes: 8 * 1024 ** 3,
  maxEntries: 200_000,
};

const FILE_TYPES = new Set(["File", "OldFile", "ContiguousFile"]);
const DIRECTORY_TYPES = new Set(["Directory", "GNUDumpDir"]);
const MAX_SYMLINK_HOPS = 40;

export class ArchivePolicy {
  private readonly symlinks = new Map<string, string>();
  private readonly entries: { path: string; type: string; linkpath?: string }[] = [];
  private extractedBytes = 0;

  constructor(private readonly limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS) {}

  /** Throws `unsafe_archive` for an entry that must not be extracted. */
  check(entry: ArchiveEntryHeader): void {
    const parts = relativeParts(entry.path, "path", entry.path);
    const key = parts.join("/");

    if (this.entries.length >= this.limits.maxEntries) {
      throw unsafe(`more than ${this.limits.maxEntries} entries`);
    }
    if (FILE_TYPES.has(entry.type)) {
      this.extractedBytes += entry.size ?? 0;
      if (this.extractedBytes > this.limits.maxExtractedBytes) {
        throw unsafe(`extracted size exceeds ${this.limits.maxExtractedBytes} bytes`);
      }
    } else if (entry.type === "SymbolicLink" || entry.type === "Link") {
      if (!entry.linkpath) throw unsafe(`link without a target: ${entry.path}`);
    } else if (!DIRECTORY_TYPES.has(entry.type)) {
      throw unsafe(`entry type ${entry.type} is not allowed: ${entry.path}`);
    }
    if (key === "" && !DIRECTORY_TYPES.has(entry.type)) {
      throw unsafe(`the archive's root must be a folder: ${entry.path}`);
    }

    this.checkNotThroughSymlink(parts, entry.path, this.symlinks);
    if (entry.type === "Link") this.checkHardlink(entry.path, entry.linkpath ?? "");

    this.entries.push({ path: key, type: entry.type, linkpath: entry.linkpath });
    if (entry.type === "SymbolicLink") {
      this.symlinks.set(key, entry.linkpath ?? "");
      this.checkSymlinkTarget(parts, entry.linkpath ?? "", entry.path);
    } else {
      this.symlinks.delete(key);
    }
  }

  /** Re-checks every entry against every symlink of the archive. */
  finish(): void {
    for (const entry of this.entries) {
      const parts = entry.path === "" ? [] : entry.path.split("/");
      this.checkNotThroughSymlink(parts, entry.path, this.symlinks);
      if (entry.type === "Link") this.checkHardlink(entry.path, entry.linkpath ?? "");
      if (entry.type === "SymbolicLink" && this.symlinks.get(entry.path) === entry.linkpath) {
        this.checkSymlinkTarget(parts, entry.linkpath ?? "", entry.path);
      }
    }
  }

  private checkNotThroughSymlink(parts: string[], shown: string, symlinks: Map<string, string>) {
    for (let i = 1; i < parts.length; i++) {
      const prefix = parts.slice(0, i).join("/");
      if (symlinks.has(prefix)) throw unsafe(`entry goes through the symlink ${prefix}: ${shown}`);
    }
  }

  private checkHardlink(shown: string, linkpath: string) {
    // A hardlink's target is relative to the archive's root, not to the link.
    const target = relativeParts(linkpath, "hardlink target", shown);
    if (target.length === 0) throw unsafe(`hardlink to the root: ${shown}`);
    this.checkNotThroughSymlink(target, shown, this.symlinks);
    // link(2) on a symlink copies the symlink, whose target then resolves from another folder.
    if (this.symlinks.has(target.join("/"))) throw unsafe(`hardlink to a symlink: ${shown}`);
  }

  private checkSymlinkTarget(parts: string[], linkpath: string, shown: string) {
    if (linkpath.startsWith("/"))
      throw unsafe(`symlink to an absolute path: ${shown} -> ${linkpath}`);
    const resolved = resolveInside(this.symlinks, parts.slice(0, -1), linkpath, { hops: 0 });
    if (resolved === "escapes")
      throw unsafe(`symlink points outside the archive: ${shown} -> ${linkpath}`);
    if (resolved === "loop") throw unsafe(`symlink loop: ${shown} -> ${linkpath}`);
  }
}

/** Splits an entry name into safe parts: relative, no `..`, no NUL; `.` and empty parts dropped. */
function relativeParts(name: string, what: string, shown: string): string[] {
  if (name.includes("\0")) throw unsafe(`${what} contains a NUL byte: ${shown}`);
  if (name.startsWith("/")) throw unsafe(`absolute ${what}: ${name}`);
  if (/^[A-Za-z]:/.test(name)) throw unsafe(`absolute ${what}: ${name}`);
  const parts = name.split("/").filter((part) => part !== "" && part !== ".");
  if (parts.includes("..")) throw unsafe(`${what} contains '..': ${name}`);
  return parts;
}

/**
 * Resolves `target` from the folder `from` (real parts, no symlinks among them), following the
 * archive's symlinks. A target outside the archive (or the host's `/`) is "escapes".
 */
function resolveInside(
  symlinks: Map<string, string>,
  from: string[],
  target: string,
  state: { hops: number },
): string[] | "escapes" | "loop" {
  if (target.startsWith("/")) return "escapes";
  let current = [...from];
  for (const part of target.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (current.length === 0) return "escapes";
      current.pop();
      continue;
    }
    const next = [...current, part];
    const link = symlinks.get(next.join("/"));
    if (link === undefined) {
      current = next;
      continue;
    }
    if (++state.hops > MAX_SYMLINK_HOPS) return "loop";
    const resolved = resolveInside(symlinks, current, link, state);
    if (typeof resolved === "string") return resolved;
    current = resolved;
  }
  return current;
}

function unsafe(reason: string): RuntimeError {
  return new RuntimeError("unsafe_archive", `unsafe archive: ${reason}`);
}
