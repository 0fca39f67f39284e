// Whether a server's user can reach a path by name: every folder on the way must let that user
// pass (x for the user, the group or others, as the owner ids decide), and the path itself be
// readable. A root agent hands work to processes running as that user only where they can.
import { stat } from "node:fs/promises";
import path from "node:path";
import type { FileOwner } from "./file-root";

/** Permission bits (r = 4, x = 1) that apply to `owner` for a file with these ids and mode. */
function bitsFor(owner: FileOwner, info: { uid: number; gid: number; mode: number }): number {
  if (info.uid === owner.uid) return (info.mode >> 6) & 7;
  if (info.gid === owner.gid) return (info.mode >> 3) & 7;
  return info.mode & 7;
}

/** True when `owner` may pass through every ancestor of `target` and read `target` itself. */
export async function ownerCanReach(owner: FileOwner, target: string): Promise<boolean> {
  const absolute = path.resolve(target);
  try {
    let folder = path.dirname(absolute);
    for (;;) {
      if ((bitsFor(owner, await stat(folder)) & 1) === 0) return false;
      const parent = path.dirname(folder);
      if (parent === folder) break;
      folder = parent;
    }
    return (bitsFor(owner, await stat(absolute)) & 4) !== 0;
  } catch {
    return false;
  }
}
