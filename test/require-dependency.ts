/**
 * Integration suites that need something from the machine (a Docker engine, a command, a server)
 * declare it here instead of skipping quietly.
 *
 * - available: the suite runs;
 * - missing and CI=true: declaring the suite throws, so the run fails (CI installs everything);
 * - missing elsewhere: the suite is skipped with one loud line on stderr.
 *
 *   const compose = { name: "docker-compose", available: hasCommand("docker-compose"), why: "…" };
 *   describeIf(compose)("docker-compose.yml", () => { … });
 */
import { accessSync, constants, statSync } from "node:fs";
import { request } from "node:http";
import { connect as tcpConnect } from "node:net";
import { delimiter, join } from "node:path";
import { describe } from "vitest";

export interface Dependency {
  /** What is needed, e.g. "docker-compose" or "Docker engine". */
  name: string;
  available: boolean;
  /** What the suite uses it for: printed when it is missing. */
  why: string;
}

export type SuiteFn = (name: string, factory: () => void | Promise<void>) => void;

function isCi(): boolean {
  return process.env.CI === "true";
}

/**
 * `describe` when every dependency is available; otherwise a stand-in that fails the run on CI
 * and elsewhere skips the suite, naming what is missing.
 */
export function describeIf(...deps: Dependency[]): SuiteFn {
  const missing = deps.filter((dep) => !dep.available);
  if (missing.length === 0) return describe;
  return (suite, factory) => {
    const lines = missing.map((dep) => `${suite}: ${dep.name} missing — ${dep.why}`);
    if (isCi()) {
      throw new Error(
        `CI=true and a dependency is missing, so this fails instead of skipping:\n  ${lines.join("\n  ")}`,
      );
    }
    for (const line of lines) {
      // eslint-disable-next-line no-console
      console.warn(`SKIPPED ${line}`);
    }
    describe.skip(suite, factory);
  };
}

/** The positional form of `describeIf` for a single dependency. */
export function requireDependency(name: string, available: boolean, why: string): SuiteFn {
  return describeIf({ name, available, why });
}

/** Whether `cmd` is an executable file on PATH (or at the path given). */
export function hasCommand(cmd: string): boolean {
  const candidates = cmd.includes("/")
    ? [cmd]
    : (process.env.PATH ?? "")
        .split(delimiter)
        .filter(Boolean)
        .map((dir) => join(dir, cmd));
  return candidates.some((file) => {
    try {
      accessSync(file, constants.X_OK);
      return statSync(file).isFile();
    } catch {
      return false;
    }
  });
}

/** Whether a Docker engine answers `GET /_ping` on its Unix socket. */
export function dockerAvailable(
  socketPath = "/var/run/docker.sock",
  timeoutMs = 2000,
): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(
      { socketPath, path: "/_ping", method: "GET", timeout: timeoutMs },
      (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      },
    );
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", () => resolve(false));
    req.end();
  });
}

/** The Redis the integration suites use: REDIS_URL, or the local default `.ci/run` starts. */
export const TEST_REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

/** Whether a Redis server answers PING at `url`. */
export function redisAvailable(url = TEST_REDIS_URL): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = tcpConnect({ host: hostname, port: Number(port || 6379), timeout: 1000 });
    socket.once("connect", () => {
      socket.write("PING\r\n");
      socket.once("data", (d) => {
        resolve(d.toString().startsWith("+PONG"));
        socket.destroy();
      });
    });
    socket.once("error", () => resolve(false));
    socket.once("timeout", () => {
      socket.destroy();
      resolve(false);
    });
  });
}
