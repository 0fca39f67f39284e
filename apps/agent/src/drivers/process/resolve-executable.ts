import { accessSync, constants, statSync } from "node:fs";
import { delimiter, isAbsolute, resolve } from "node:path";

/**
 * Where execvp(3) would find `command` with this PATH and working directory, or null when it would
 * fail. Checked before spawning, because a PTY child that cannot exec only prints an error on the
 * terminal and exits 1, which would look like a server that crashed.
 */
export function resolveExecutable(command: string, searchPath: string, cwd: string): string | null {
  if (command === "") return null;
  if (command.includes("/")) {
    const path = isAbsolute(command) ? command : resolve(cwd, command);
    return isExecutableFile(path) ? path : null;
  }
  for (const dir of searchPath.split(delimiter)) {
    // An empty PATH entry means the working directory.
    const path = resolve(cwd, dir === "" ? "." : dir, command);
    if (isExecutableFile(path)) return path;
  }
  return null;
}

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
