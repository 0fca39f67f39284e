// How a liveness check is done: a TCP connection to the server's port, or a command typed into
// its console that must be answered with a matching line.
import { connect } from "node:net";
import type { DriverName, PortMapping } from "../drivers/driver";
import type { Disposable } from "../drivers/driver";
import type { Probe, ProbeResult } from "./liveness-monitor";

/**
 * Docker's userland proxy accepts every connection to a published port and closes it at once when
 * nothing listens behind it, so a port only counts as answering when the connection holds this
 * long (or data arrives).
 */
export const TCP_HOLD_MS = 250;

/**
 * Where the agent reaches a server's port: the host port published for it (Docker) or the port
 * the process listens on (the process driver, where the program is given the host port). Null
 * when a container's port is not published.
 */
export function tcpTarget(
  containerPort: number,
  ports: readonly PortMapping[],
  driver: DriverName,
): { host: string; port: number } | null {
  const mapped = ports.find((p) => p.protocol === "tcp" && p.containerPort === containerPort);
  if (mapped) return { host: "127.0.0.1", port: mapped.hostPort };
  return driver === "process" ? { host: "127.0.0.1", port: containerPort } : null;
}

export function tcpProbe(target: { host: string; port: number }, holdMs = TCP_HOLD_MS): Probe {
  return {
    label: `port ${target.port}`,
    run: (signal) =>
      new Promise<ProbeResult>((resolve) => {
        const socket = connect({ host: target.host, port: target.port });
        let hold: NodeJS.Timeout | undefined;
        const finish = (result: ProbeResult) => {
          clearTimeout(hold);
          signal.removeEventListener("abort", onAbort);
          socket.destroy();
          resolve(result);
        };
        const fail = (detail: string) =>
          finish({ ok: false, detail: `port ${target.port}: ${detail}` });
        const onAbort = () => fail("aborted");
        signal.addEventListener("abort", onAbort, { once: true });
        socket.once("connect", () => {
          hold = setTimeout(() => finish({ ok: true }), holdMs);
        });
        socket.once("data", () => finish({ ok: true }));
        socket.once("close", () => fail("accepted, then closed at once"));
        socket.once("error", (error: NodeJS.ErrnoException) =>
          fail(error.code === "ECONNREFUSED" ? "connection refused" : error.message),
        );
      }),
  };
}

/** A server's console as a console check uses it. */
export interface ProbeConsole {
  /** False when there is no live process to type into. */
  write(data: string): boolean;
  watchLines(listener: (line: string) => void): Disposable;
}

export function consoleProbe(console: ProbeConsole, command: string, expect: RegExp): Probe {
  return {
    label: `console (${command} → /${expect.source}/)`,
    run: (signal) =>
      new Promise<ProbeResult>((resolve) => {
        const finish = (result: ProbeResult) => {
          watch.dispose();
          signal.removeEventListener("abort", onAbort);
          resolve(result);
        };
        const onAbort = () => finish({ ok: false, detail: "aborted" });
        // Watch first: the answer may come back before write() returns.
        const watch = console.watchLines((line) => {
          if (expect.test(line)) finish({ ok: true });
        });
        signal.addEventListener("abort", onAbort, { once: true });
        if (!console.write(`${command}\n`)) finish({ ok: false, detail: "console not attached" });
      }),
  };
}
