// What runs for a dev server's user beside the server's own process (terminal shells now; commands
// and code-server later) and the environment it gets, in one place, so a change to that
// environment (a runtime's PATH, say) reaches all of them alike.
import { userInfo } from "node:os";
import type { DriverName } from "@berth/protocol";
import type { ExecOptions, ServerSpec } from "../drivers/driver";
import { DEV_HOME, DEV_USER, DEV_WORKSPACE } from "./spec";

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
  spec: Pick<ServerSpec, "dataDir">,
): DevEnvironment {
  if (driver === "docker") {
    return {
      user: DEV_USER,
      cwd: DEV_WORKSPACE,
      env: { ...COMMON, HOME: DEV_HOME, USER: DEV_USER, LOGNAME: DEV_USER },
    };
  }
  const me = agentUser();
  return { cwd: DEV_WORKSPACE, env: { ...COMMON, HOME: spec.dataDir, USER: me, LOGNAME: me } };
}

/** A terminal tab's shell. */
export function terminalShell(
  driver: DriverName,
  spec: Pick<ServerSpec, "dataDir">,
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
