// Signalling an exec'd process. Closing an exec's connection does not end the process (with a TTY
// the engine keeps the terminal open), and the Engine API has no call to signal an exec. The
// process's PID from `exec inspect` is the host's, which means nothing inside the container and
// which an agent running in a container of its own cannot reach either. So every exec carries a
// random marker in its environment, and a second short exec, as the same user, finds the process
// with that marker that the engine started (parent PID 0 inside the container) and signals it.
// It needs only a POSIX shell with `tr`, `grep` and `kill`, which busybox and Debian both have.
import type Docker from "dockerode";
import type { Logger } from "pino";
import { dockerStatus } from "./errors";

/** The environment variable that names an exec: `BERTH_EXEC_ID=<random id>`. */
export const EXEC_MARKER = "BERTH_EXEC_ID";

const SIGNAL_SCRIPT = `
id=$1 sig=$2
for dir in /proc/[0-9]*; do
  tr '\\0' '\\n' 2>/dev/null < "$dir/environ" | grep -qxF "${EXEC_MARKER}=$id" || continue
  read -r stat 2>/dev/null < "$dir/stat" || continue
  set -- \${stat##*) }
  [ "$2" = 0 ] && kill -s "$sig" "\${dir#/proc/}" 2>/dev/null
done
exit 0
`;

const SIGNAL_TIMEOUT_MS = 10_000;

/** Sends `signal` to the process started by the exec marked `execId`; nothing if it is gone. */
export async function signalExec(
  container: Docker.Container,
  {
    execId,
    user,
    signal,
    log,
  }: { execId: string; user?: string; signal: NodeJS.Signals; log: Logger },
): Promise<void> {
  const name = signal.replace(/^SIG/, "");
  let helper: Docker.Exec;
  try {
    helper = await container.exec({
      Cmd: ["sh", "-c", SIGNAL_SCRIPT, "sh", execId, name],
      ...(user ? { User: user } : {}),
      AttachStdout: true,
      AttachStderr: true,
    });
  } catch (error) {
    // 409: the container is not running, so neither is anything exec'd in it.
    if (dockerStatus(error) === 409 || dockerStatus(error) === 404) return;
    throw error;
  }
  const stream = (await helper.start({ hijack: true, stdin: false })) as NodeJS.ReadableStream & {
    destroy(): void;
  };
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      log.warn({ execId, signal }, "signalling an exec'd process timed out");
      stream.destroy();
      resolve();
    }, SIGNAL_TIMEOUT_MS);
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    stream.on("end", done);
    stream.on("close", done);
    stream.on("error", done);
    stream.resume();
  });
}
