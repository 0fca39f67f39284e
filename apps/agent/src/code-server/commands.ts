// The shell commands that run, find and stop code-server inside a dev container. Pure, so what
// runs in the container is unit-tested; each command runs as the dev user through `sh -c`.
import path from "node:path";

/** Where a dev container sees the code-server artifact (read-only). */
export const CODE_SERVER_MOUNT = "/opt/berth/addons/code-server";

export interface CodeServerLayout {
  /** The artifact's folder as the container sees it. */
  root: string;
  /** The launcher inside it, relative (the catalog version's bin path + `code-server`). */
  binPath: string;
  home: string;
  workspace: string;
  port: number;
}

/** code-server's own folders, under the dev user's home. */
export function codeServerFolders(home: string) {
  const data = path.posix.join(home, ".local/share/code-server");
  return {
    userData: data,
    extensions: path.posix.join(data, "extensions"),
    config: path.posix.join(home, ".config/code-server/config.yaml"),
    log: path.posix.join(data, "berth.log"),
  };
}

/**
 * Starts code-server in the background, in a session of its own: the exec's terminal closes when
 * this answers, and its hangup must not reach code-server (the forked child may not have left the
 * terminal's session yet when it comes, hence the ignored HUP). The output goes to a log file,
 * opened before the command returns.
 */
export function launchCommand(layout: CodeServerLayout): string[] {
  const folders = codeServerFolders(layout.home);
  const launcher = path.posix.join(layout.root, layout.binPath, "code-server");
  const script = [
    // Ignored before the fork, so no moment is left where the terminal's hangup could land.
    "trap '' HUP",
    'mkdir -p "$(dirname "$CS_CONFIG")" "$CS_EXTENSIONS"',
    'cd "$CS_WORKSPACE"',
    'setsid --fork "$CS_LAUNCHER" --auth none --bind-addr "0.0.0.0:$CS_PORT"' +
      " --disable-telemetry --disable-update-check --disable-workspace-trust" +
      ' --config "$CS_CONFIG" --user-data-dir "$CS_USER_DATA" --extensions-dir "$CS_EXTENSIONS"' +
      ' "$CS_WORKSPACE" >"$CS_LOG" 2>&1 </dev/null',
  ].join("\n");
  return [
    "env",
    `CS_LAUNCHER=${launcher}`,
    `CS_PORT=${layout.port}`,
    `CS_CONFIG=${folders.config}`,
    `CS_USER_DATA=${folders.userData}`,
    `CS_EXTENSIONS=${folders.extensions}`,
    `CS_LOG=${folders.log}`,
    `CS_WORKSPACE=${layout.workspace}`,
    "sh",
    "-c",
    `set -e\n${script}`,
  ];
}

/**
 * Prints the pid of every process whose command line runs something from the artifact's folder
 * (the launcher execs node from there; code-server's workers are started the same way). The
 * script's own command line names the folder without its trailing slash, so it never matches.
 */
export function scanCommand(root: string): string[] {
  const script = [
    "for dir in /proc/[0-9]*; do",
    '  line=$(tr "\\0" " " < "$dir/cmdline" 2>/dev/null) || continue',
    '  case "$line" in *"$1/"*) echo "pid ${dir#/proc/}";; esac',
    "done",
  ].join("\n");
  return ["sh", "-c", script, "scan", root];
}

/** Process ids from a scan's output. */
export function parseScan(output: string): number[] {
  return [...output.matchAll(/^pid (\d+)\s*$/gm)].map((match) => Number(match[1]));
}

/** TERM to all of them, then KILL to what is left after `graceSeconds`. */
export function stopCommand(pids: readonly number[], graceSeconds: number): string[] {
  const script = [
    'kill -TERM "$@" 2>/dev/null',
    `i=0; while [ $i -lt ${graceSeconds * 10} ]; do`,
    '  alive=""; for p in "$@"; do [ -d "/proc/$p" ] && alive="$alive $p"; done',
    '  [ -z "$alive" ] && exit 0',
    "  sleep 0.1; i=$((i + 1))",
    "done",
    "kill -KILL $alive 2>/dev/null; exit 0",
  ].join("\n");
  return ["sh", "-c", script, "stop", ...pids.map(String)];
}

/** Exit 0 once code-server answers its health endpoint. */
export function healthCommand(port: number): string[] {
  return ["curl", "-fsS", "-o", "/dev/null", "-m", "2", `http://127.0.0.1:${port}/healthz`];
}

export function logTailCommand(home: string, lines = 15): string[] {
  return ["tail", "-n", String(lines), codeServerFolders(home).log];
}
