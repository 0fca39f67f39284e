// A short command run beside a server's process (exec), with its output collected: for checks and
// housekeeping inside a container, not for anything a user watches.
import type { Driver, ExecOptions } from "./driver";

export interface CommandOutcome {
  exitCode: number | null;
  /** Everything it printed (a TTY's output: lines end in \r\n), at most `maxOutput` characters. */
  output: string;
}

export class CommandTimeoutError extends Error {
  override readonly name = "CommandTimeoutError";
}

export async function runCommand(
  driver: Driver,
  serverId: string,
  options: ExecOptions,
  { timeoutMs, maxOutput = 64 * 1024 }: { timeoutMs: number; maxOutput?: number },
): Promise<CommandOutcome> {
  const handle = await driver.exec(serverId, { cols: 400, rows: 50, ...options });
  return new Promise<CommandOutcome>((resolve, reject) => {
    let output = "";
    const data = handle.onData((chunk) => {
      if (output.length < maxOutput) output = (output + chunk).slice(0, maxOutput);
    });
    const timer = setTimeout(() => {
      finish();
      void handle.signal("SIGKILL").catch(() => undefined);
      reject(new CommandTimeoutError(`${options.command[0]} did not finish in ${timeoutMs} ms`));
    }, timeoutMs);
    const exit = handle.onExit(({ exitCode }) => {
      finish();
      resolve({ exitCode, output });
    });
    function finish() {
      clearTimeout(timer);
      data.dispose();
      exit.dispose();
      handle.close();
    }
  });
}
