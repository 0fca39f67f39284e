import { isAbsolute, relative, resolve } from "node:path";
import type { ServerSpec } from "../driver";

/**
 * Where an exec'd process starts. Paths are given as the container would see them: the server's
 * `workdir` and anything below it map into `dataDir` (where the process driver runs servers), a
 * relative path is taken from `dataDir`, and any other absolute path is used as it is.
 */
export function execCwd(spec: Pick<ServerSpec, "dataDir" | "workdir">, cwd?: string): string {
  if (!cwd) return spec.dataDir;
  if (!isAbsolute(cwd)) return resolve(spec.dataDir, cwd);
  if (spec.workdir && isAbsolute(spec.workdir)) {
    const inside = relative(spec.workdir, cwd);
    if (inside !== ".." && !inside.startsWith("../") && !isAbsolute(inside)) {
      return resolve(spec.dataDir, inside);
    }
  }
  return cwd;
}

export interface Identity {
  username: string;
  uid: number;
  gid: number;
}

/**
 * Whether `user` (Docker's forms: "name", "uid", "name:gid", "uid:gid") names the identity the
 * agent already runs as. A group is accepted only as the agent's numeric gid.
 */
export function isSameUser(user: string, me: Identity): boolean {
  const [name = "", group, ...extra] = user.split(":");
  if (extra.length > 0) return false;
  if (name !== me.username && name !== String(me.uid)) return false;
  return group === undefined || group === String(me.gid);
}

export interface TerminalSize {
  cols: number;
  rows: number;
}

/** A usable terminal size (whole numbers, 1..1000), or null for nonsense such as NaN or 0. */
export function terminalSize(cols: number, rows: number): TerminalSize | null {
  if (!Number.isFinite(cols) || !Number.isFinite(rows)) return null;
  const c = Math.floor(cols);
  const r = Math.floor(rows);
  if (c < 1 || r < 1) return null;
  return { cols: Math.min(c, 1000), rows: Math.min(r, 1000) };
}
