// `npm start`: runs the platform (scripts/start/platform.ts) in its own process group. A terminal's
// Ctrl-C reaches every process in the foreground group at once — Postgres included — so only this
// launcher receives it and asks the platform to stop in order.
import { spawn } from "node:child_process";
import { resolve } from "node:path";

const platform = spawn(
  process.execPath,
  ["--import", "tsx", resolve(import.meta.dirname, "start/platform.ts")],
  // The IPC channel closes when this launcher dies, however it dies; the platform then stops too.
  { stdio: ["inherit", "inherit", "inherit", "ipc"], detached: true },
);

let signalled = false;
const forward = () => {
  if (signalled) return;
  signalled = true;
  platform.kill("SIGTERM");
};
process.on("SIGINT", forward);
process.on("SIGTERM", forward);
platform.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
