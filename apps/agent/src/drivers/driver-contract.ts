// The behaviour every Driver must show, as one vitest suite that each driver's integration test
// runs against the real thing:
//
//   describeDriverContract("DockerDriver", async () => ({ driver, spec, cleanup }));
//
// The default command must run both in the busybox image and as a host `sh`, so the suite only uses
// POSIX shell and busybox applets.
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Driver, ExitInfo, ProcessHandle, ServerSpec } from "./driver";

/** Cases a driver may declare it cannot honour; they show up as skipped, never as passed. */
export type ContractCase = "oom" | "mounts";

export interface DriverContractFixture {
  driver: Driver;
  /** A runnable spec with test labels and a fresh data folder; a new serverId unless given. */
  spec(overrides?: Partial<ServerSpec> & { serverId?: string }): ServerSpec;
  cleanup(): Promise<void>;
  /** Contract cases this driver cannot support (documented where the fixture is built). */
  unsupported?: readonly ContractCase[];
}

/** Prints "ready", then echoes every line it reads as "got:<line>". */
export const ECHO_COMMAND = ["sh", "-c", 'echo ready; while read line; do echo "got:$line"; done'];

const UNTIL = 10_000;

export function describeDriverContract(
  label: string,
  setup: () => Promise<DriverContractFixture>,
): void {
  describe(`${label} (driver contract)`, () => {
    let fixture: DriverContractFixture;
    let driver: Driver;
    const created = new Set<string>();
    const handles = new Set<ProcessHandle>();

    beforeAll(async () => {
      fixture = await setup();
      driver = fixture.driver;
    });

    afterEach(async () => {
      for (const handle of handles) handle.close();
      handles.clear();
      await Promise.all([...created].map((id) => driver.destroy(id).catch(() => undefined)));
      created.clear();
    });

    afterAll(async () => {
      await fixture?.cleanup();
    });

    function spec(overrides: Partial<ServerSpec> & { serverId?: string } = {}): ServerSpec {
      const result = fixture.spec(overrides);
      created.add(result.serverId);
      return result;
    }

    async function attach(serverId: string): Promise<Console> {
      const handle = await driver.attach(serverId);
      handles.add(handle);
      return watch(handle);
    }

    /** Every process's command line where the server runs (its container, or the host). */
    async function commandLines(serverId: string): Promise<string> {
      const handle = await driver.exec(serverId, {
        command: [
          "sh",
          "-c",
          "for f in /proc/[0-9]*/cmdline; do tr '\\0' ' ' < $f; echo; done 2>/dev/null",
        ],
      });
      handles.add(handle);
      const listing = watch(handle);
      await listing.exited();
      return listing.output;
    }

    /** Creates, attaches and starts; resolves once the default command printed "ready". */
    async function startEcho(overrides: Partial<ServerSpec> = {}) {
      const s = spec(overrides);
      await driver.create(s);
      const console = await attach(s.serverId);
      await driver.start(s.serverId);
      await console.waitFor("ready");
      return { spec: s, console };
    }

    it("reports an unknown server as not existing", async () => {
      const state = await driver.inspect("contract-never-created");
      expect(state).toMatchObject({ exists: false, running: false, exitCode: null });
    });

    it("creates idempotently, lists, and destroys", async () => {
      const s = spec();
      await driver.create(s);
      await driver.create(s);
      const state = await driver.inspect(s.serverId);
      expect(state).toMatchObject({
        exists: true,
        running: false,
        exitCode: null,
        startedAt: null,
      });
      expect(await driver.list()).toContain(s.serverId);

      await driver.destroy(s.serverId);
      expect((await driver.inspect(s.serverId)).exists).toBe(false);
      expect(await driver.list()).not.toContain(s.serverId);
    });

    it("shows the first output to a console attached before start, and takes input", async () => {
      const before = Date.now();
      const { spec: s, console } = await startEcho();
      console.handle.write("hello\n");
      await console.waitFor("got:hello");
      expect(() => console.handle.resize(100, 30)).not.toThrow();

      const state = await driver.inspect(s.serverId);
      expect(state).toMatchObject({ exists: true, running: true, exitCode: null });
      expect(state.startedAt).toBeInstanceOf(Date);
      expect(state.startedAt!.getTime()).toBeGreaterThan(before - 5_000);
      expect(console.exits).toEqual([]);
    });

    it("leaves a running server alone on start", async () => {
      const { spec: s } = await startEcho();
      const first = await driver.inspect(s.serverId);
      await driver.start(s.serverId);
      const second = await driver.inspect(s.serverId);
      expect(second.running).toBe(true);
      expect(second.startedAt?.getTime()).toBe(first.startedAt?.getTime());
    });

    it("stops with SIGTERM, reports the exit once, and starts again", async () => {
      const { spec: s, console } = await startEcho();
      expect(await driver.stop(s.serverId, { signal: "SIGTERM", timeoutMs: 5_000 })).toBe(true);

      const state = await driver.inspect(s.serverId);
      expect(state).toMatchObject({ exists: true, running: false, oomKilled: false });
      expect(state.signal === "SIGTERM" || state.exitCode === 143).toBe(true);
      expect(state.finishedAt).toBeInstanceOf(Date);

      const exit = await console.exited();
      expect(exit.signal === "SIGTERM" || exit.exitCode === 143).toBe(true);
      expect(exit.oomKilled).toBe(false);

      // Restart after an exit: a new console, the first output again.
      const again = await attach(s.serverId);
      await driver.start(s.serverId);
      await again.waitFor("ready");
      const restarted = await driver.inspect(s.serverId);
      expect(restarted).toMatchObject({ running: true, exitCode: null, signal: null });

      await driver.kill(s.serverId);
      await again.exited();
      await settle();
      expect(console.exits).toHaveLength(1);
      expect(again.exits).toHaveLength(1);
    });

    it("kills with SIGKILL", async () => {
      const { spec: s, console } = await startEcho();
      await driver.kill(s.serverId);
      const state = await driver.inspect(s.serverId);
      expect(state.running).toBe(false);
      expect(state.signal === "SIGKILL" || state.exitCode === 137).toBe(true);
      expect(state.oomKilled).toBe(false);
      const exit = await console.exited();
      expect(exit.signal === "SIGKILL" || exit.exitCode === 137).toBe(true);
      await settle();
      expect(console.exits).toHaveLength(1);
    });

    it("reports a stop that times out, and kill still works", async () => {
      const { spec: s, console } = await startEcho({
        command: [
          "sh",
          "-c",
          "trap '' TERM; echo ready; while read line; do echo \"got:$line\"; done",
        ],
      });
      const started = Date.now();
      expect(await driver.stop(s.serverId, { signal: "SIGTERM", timeoutMs: 1_000 })).toBe(false);
      const elapsed = Date.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(900);
      expect(elapsed).toBeLessThan(4_000);
      expect((await driver.inspect(s.serverId)).running).toBe(true);
      expect(console.exits).toEqual([]);

      await driver.kill(s.serverId);
      expect((await driver.inspect(s.serverId)).running).toBe(false);
      const exit = await console.exited();
      expect(exit.signal === "SIGKILL" || exit.exitCode === 137).toBe(true);
    });

    it("reports the exit code of a program that exits by itself", async () => {
      const s = spec({ command: ["sh", "-c", "echo bye; exit 3"] });
      await driver.create(s);
      const console = await attach(s.serverId);
      await driver.start(s.serverId);
      const exit = await console.exited();
      expect(exit).toEqual({ exitCode: 3, signal: null, oomKilled: false });
      expect(console.output).toContain("bye");
      const state = await driver.inspect(s.serverId);
      expect(state).toMatchObject({ running: false, exitCode: 3, signal: null, oomKilled: false });
    });

    it("reports an out-of-memory kill", async (context) => {
      if (fixture.unsupported?.includes("oom")) context.skip();
      const s = spec({
        command: ["sh", "-c", 'echo ready; x=a; while :; do x="$x$x"; done'],
        limits: { memoryMb: 32, cpuPercent: 100, pids: 64 },
      });
      await driver.create(s);
      const console = await attach(s.serverId);
      await driver.start(s.serverId);
      const exit = await console.exited(30_000);
      expect(exit.oomKilled).toBe(true);
      const state = await driver.inspect(s.serverId);
      expect(state).toMatchObject({ running: false, oomKilled: true });
    });

    it("runs a command beside the server with its own TTY", async () => {
      const { spec: s } = await startEcho();
      const handle = await driver.exec(s.serverId, {
        command: ["sh", "-c", "echo exec-ok"],
        cols: 80,
        rows: 24,
      });
      handles.add(handle);
      const exec = watch(handle);
      await exec.waitFor("exec-ok");
      const exit = await exec.exited();
      expect(exit.exitCode).toBe(0);
      expect((await driver.inspect(s.serverId)).running).toBe(true);
    });

    it("mounts a host folder read-only", async (context) => {
      if (fixture.unsupported?.includes("mounts")) context.skip();
      const source = await mkdtemp(path.join(tmpdir(), "berth-mount-"));
      try {
        await chmod(source, 0o755);
        await writeFile(path.join(source, "hello.txt"), "mounted-ok\n", { mode: 0o644 });
        const target = "/opt/berth/contract-mount";
        const { spec: s } = await startEcho({ mounts: [{ source, target }] });
        const handle = await driver.exec(s.serverId, {
          command: [
            "sh",
            "-c",
            `cat ${target}/hello.txt; touch ${target}/x 2>/dev/null && echo writable || echo read-only`,
          ],
        });
        handles.add(handle);
        const exec = watch(handle);
        await exec.exited();
        expect(exec.output).toContain("mounted-ok");
        expect(exec.output).toContain("read-only");
        expect(exec.output).not.toContain("writable");
      } finally {
        await rm(source, { recursive: true, force: true });
      }
    });

    it("signals a command run beside the server, which closing its handle does not end", async () => {
      const { spec: s } = await startEcho();
      const handle = await driver.exec(s.serverId, {
        command: [
          "sh",
          "-c",
          'trap "echo got-hup; exit 3" HUP; echo armed; while :; do sleep 1; done',
        ],
        cols: 80,
        rows: 24,
      });
      handles.add(handle);
      const exec = watch(handle);
      await exec.waitFor("armed");
      await handle.signal("SIGHUP");
      await exec.waitFor("got-hup");
      expect((await exec.exited()).exitCode).toBe(3);
      // Signalling what has exited is no error.
      await handle.signal("SIGKILL");

      // Detaching leaves the process running; a signal through the closed handle still ends it.
      const marker = `m${Math.random().toString(36).slice(2, 10)}`;
      const detached = await driver.exec(s.serverId, {
        command: ["sh", "-c", `: ${marker}; echo armed; while :; do sleep 1; done`],
      });
      handles.add(detached);
      await watch(detached).waitFor("armed");
      detached.close();
      await settle();
      expect(await commandLines(s.serverId)).toContain(marker);
      await detached.signal("SIGKILL");
      await settle(500);
      expect(await commandLines(s.serverId)).not.toContain(marker);
      expect((await driver.inspect(s.serverId)).running).toBe(true);
    });

    it("reads stats while running, none when stopped", async () => {
      const { spec: s } = await startEcho();
      const stats = await driver.stats(s.serverId);
      expect(stats).not.toBeNull();
      expect(stats!.memoryBytes).toBeGreaterThan(0);
      expect(stats!.memoryLimitBytes).toBeGreaterThan(0);
      expect(stats!.cpuPercent).toBeGreaterThanOrEqual(0);
      await driver.kill(s.serverId);
      expect(await driver.stats(s.serverId)).toBeNull();
    });

    it("detaches a console without stopping the server", async () => {
      const { spec: s, console } = await startEcho();
      console.handle.close();
      handles.delete(console.handle);
      await settle();
      expect((await driver.inspect(s.serverId)).running).toBe(true);
      expect(console.exits).toEqual([]);

      const second = await attach(s.serverId);
      second.handle.write("still-here\n");
      await second.waitFor("got:still-here");
    });

    it("destroys a running server", async () => {
      const { spec: s, console } = await startEcho();
      await driver.destroy(s.serverId);
      expect(await driver.inspect(s.serverId)).toMatchObject({ exists: false, running: false });
      expect(await driver.list()).not.toContain(s.serverId);
      await console.exited();
      await settle();
      expect(console.exits).toHaveLength(1);
    });
  });
}

interface Console {
  handle: ProcessHandle;
  readonly output: string;
  exits: ExitInfo[];
  waitFor(text: string, timeoutMs?: number): Promise<void>;
  exited(timeoutMs?: number): Promise<ExitInfo>;
}

function watch(handle: ProcessHandle): Console {
  let output = "";
  const exits: ExitInfo[] = [];
  const waiters = new Set<() => void>();
  const notify = () => {
    for (const waiter of waiters) waiter();
  };
  handle.onData((chunk) => {
    output += chunk;
    notify();
  });
  handle.onExit((exit) => {
    exits.push(exit);
    notify();
  });
  const until = (what: string, done: () => boolean, timeoutMs: number) =>
    new Promise<void>((resolve, reject) => {
      if (done()) return resolve();
      const check = () => {
        if (!done()) return;
        clearTimeout(timer);
        waiters.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(
          new Error(
            `timed out after ${timeoutMs} ms waiting for ${what}; output so far:\n${output}`,
          ),
        );
      }, timeoutMs);
      waiters.add(check);
    });
  return {
    handle,
    get output() {
      return output;
    },
    exits,
    waitFor: (text, timeoutMs = UNTIL) =>
      until(JSON.stringify(text), () => output.includes(text), timeoutMs),
    exited: async (timeoutMs = UNTIL) => {
      await until("the exit", () => exits.length > 0, timeoutMs);
      return exits[0]!;
    },
  };
}

/** Long enough for a duplicate exit event to show up if a driver sent one. */
function settle(ms = 300): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
