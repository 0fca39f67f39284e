// What runs for a dev server's user beside the server's own process (terminal shells now; commands
// and code-server later) and the environment it gets, in one place, so a change to that
// environment (a runtime's PATH, say) reaches all of them alike.
import { userInfo } from "node:os";
import path from "node:path";
import type { DriverName, RuntimeArtifact } from "@berth/protocol";
import type { ExecOptions, ReadOnlyMount, ServerSpec } from "../drivers/driver";

/** A dev container's workspace: the dev user's, persisted as the server's data folder. */
export const DEV_WORKSPACE = "/home/dev/workspace";
export const DEV_HOME = "/home/dev";
export const DEV_USER = "dev";
/** Where a container sees the node's installed runtimes: `<root>/<name>`. */
export const RUNTIME_MOUNT_ROOT = "/opt/berth/runtimes";
/** The dev image's own PATH (Debian's), which a PATH set for the container replaces. */
export const DEV_IMAGE_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/** bash when the image has it, else sh; a login shell, so the profile scripts run. */
export const LOGIN_SHELL = [
  "sh",
  "-c",
  "if command -v bash >/dev/null 2>&1; then exec bash -l; else exec sh -l; fi",
];

export interface DevEnvironment {
  /** Whom to run as; absent: the driver's own identity. */
  user?: string;
  /** As the container sees it; the process driver maps the workspace into the data folder. */
  cwd: string;
  env: Record<string, string>;
}

const COMMON = { TERM: "xterm-256color", LANG: "C.UTF-8" };

/**
 * Docker: the dev image's user, in the workspace, with that user's home around it.
 *
 * Process driver: there is no other user to be; everything runs as the agent's own user, and USER
 * and LOGNAME say so. HOME is the server's data folder (the workspace), as it is for the process
 * driver's servers: a dev server's dotfiles and shell history stay with that server and go when it
 * is deleted, and the agent user's own home is not shared between servers.
 */
export function devEnvironment(
  driver: DriverName,
  spec: Pick<ServerSpec, "dataDir"> & { env?: Record<string, string> },
): DevEnvironment {
  const searchPath: Record<string, string> = spec.env?.PATH ? { PATH: spec.env.PATH } : {};
  if (driver === "docker") {
    return {
      user: DEV_USER,
      cwd: DEV_WORKSPACE,
      env: { ...COMMON, ...searchPath, HOME: DEV_HOME, USER: DEV_USER, LOGNAME: DEV_USER },
    };
  }
  const me = agentUser();
  return {
    cwd: DEV_WORKSPACE,
    env: { ...COMMON, ...searchPath, HOME: spec.dataDir, USER: me, LOGNAME: me },
  };
}

export interface RuntimePlacement {
  mounts: ReadOnlyMount[];
  /** PATH folders as the server's processes see them, in the order given. */
  binDirs: string[];
}

/**
 * Where a server's runtimes are seen from inside: Docker mounts `<store>/<name>/<version>` at
 * `/opt/berth/runtimes/<name>`; a host process uses the store folder itself.
 */
export function placeRuntimes(
  driver: DriverName,
  runtimes: readonly Pick<RuntimeArtifact, "name" | "version" | "binPath">[],
  storeRoot: string,
): RuntimePlacement {
  const mounts: ReadOnlyMount[] = [];
  const binDirs: string[] = [];
  for (const runtime of runtimes) {
    const source = path.join(storeRoot, runtime.name, runtime.version);
    if (driver === "docker") {
      const target = path.posix.join(RUNTIME_MOUNT_ROOT, runtime.name);
      mounts.push({ source, target });
      binDirs.push(path.posix.join(target, runtime.binPath));
    } else {
      binDirs.push(path.join(source, runtime.binPath));
    }
  }
  return { mounts, binDirs };
}

/**
 * The PATH of a dev server: its runtimes' folders first, then the image's PATH (Docker) or the
 * agent's own (process driver, which runs servers on the host). The container gets it as its
 * environment and every shell and exec session takes it from there.
 */
export function devSearchPath(
  driver: DriverName,
  binDirs: readonly string[],
  hostPath: string = process.env.PATH ?? DEV_IMAGE_PATH,
): string {
  const base = driver === "docker" ? DEV_IMAGE_PATH : hostPath;
  return [...binDirs, base].join(":");
}

/** A terminal tab's shell. */
export function terminalShell(
  driver: DriverName,
  spec: Pick<ServerSpec, "dataDir"> & { env?: Record<string, string> },
  size: { cols: number; rows: number },
): ExecOptions {
  const { user, cwd, env } = devEnvironment(driver, spec);
  return { command: LOGIN_SHELL, ...(user ? { user } : {}), cwd, env, ...size };
}

function agentUser(): string {
  try {
    return userInfo().username;
  } catch {
    // No passwd entry for the agent's uid (possible in a container): the number is all there is.
    return String(process.getuid?.() ?? "");
  }
}
