// Names of the agent's half-made files: hidden, next to where the finished file goes (so the final
// rename stays on one file system), and recognisable, so a listing can leave them out.
import { randomBytes } from "node:crypto";
import path from "node:path";

const MARKER = ".berth-tmp-";

/** A fresh temporary path in the same folder as `absolute`. */
export function tempBeside(absolute: string): string {
  return path.join(path.dirname(absolute), `${MARKER}${randomBytes(6).toString("hex")}`);
}

export function isTempName(name: string): boolean {
  return name.startsWith(MARKER);
}
