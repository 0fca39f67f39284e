import type { LivenessCheck } from "@berth/protocol";
import { describe, expect, it } from "vitest";
import type { Disposable } from "../drivers/driver";
import { FakeClock, settle } from "../instance/fake-clock";
import type { HangReport } from "../instance/instance-types";
import { LivenessMonitor, type Probe, type ProbeResult } from "./liveness-monitor";
import { consoleProbe, tcpTarget } from "./liveness-probes";

const check: LivenessCheck = {
  kind: "tcp",
  port: 25565,
  initialDelayMs: 60_000,
  intervalMs: 10_000,
  timeoutMs: 3_000,
  failures: 3,
};

/** A probe a test answers by hand: each run waits for `answer()` (or its abort). */
function manualProbe() {
  const runs: Array<{ at: number; resolve(result: ProbeResult): void; signal: AbortSignal }> = [];
  let clock: FakeClock | null = null;
  const probe: Probe = {
    label: "port 25565",
    run: (signal) => new Promise((resolve) => runs.push({ at: clock!.now(), resolve, signal })),
  };
  return {
    probe,
    runs,
    bind: (c: FakeClock) => (clock = c),
    answer: (result: ProbeResult) => runs.at(-1)!.resolve(result),
  };
}

function setup(overrides: Partial<LivenessCheck> = {}) {
  const clock = new FakeClock();
  const manual = manualProbe();
  manual.bind(clock);
  const hangs: Array<[number, HangReport]> = [];
  const monitor = new LivenessMonitor({
    check: { ...check, ...overrides } as LivenessCheck,
    probe: manual.probe,
    clock,
    onHung: (report) => hangs.push([clock.now(), report]),
  });
  return { clock, manual, hangs, monitor, t0: clock.now() };
}

describe("LivenessMonitor", () => {
  it("checks first after the initial delay, then every interval", async () => {
    const { clock, manual, monitor, t0 } = setup();
    monitor.start();
    await clock.advance(59_999);
    expect(manual.runs).toHaveLength(0);
    await clock.advance(1);
    expect(manual.runs).toHaveLength(1);
    await clock.advance(1_000);
    manual.answer({ ok: true });
    await clock.advance(9_000);
    manual.answer({ ok: true });
    await clock.advance(10_000);
    expect(manual.runs.map((r) => r.at - t0)).toEqual([60_000, 70_000, 80_000]);
  });

  it("calls a server hung after `failures` failed checks in a row, once, and stops", async () => {
    const { clock, manual, hangs, monitor, t0 } = setup();
    monitor.start();
    await clock.advance(60_000);
    manual.answer({ ok: false, detail: "port 25565: connection refused" });
    await clock.advance(10_000);
    manual.answer({ ok: false, detail: "port 25565: connection refused" });
    await clock.advance(10_000);
    expect(hangs).toEqual([]);
    manual.answer({ ok: false, detail: "port 25565: connection refused" });
    await settle();
    expect(hangs).toEqual([
      [
        t0 + 80_000,
        {
          check: "tcp",
          detail: "3 checks failed; last: port 25565: connection refused",
        },
      ],
    ]);
    await clock.advance(600_000);
    expect(manual.runs).toHaveLength(3);
    expect(clock.pending).toBe(0);
  });

  it("a success in between starts the count over", async () => {
    const { clock, manual, hangs, monitor } = setup();
    monitor.start();
    for (const ok of [false, false, true, false, false]) {
      await clock.advance(manual.runs.length === 0 ? 60_000 : 10_000);
      manual.answer(ok ? { ok: true } : { ok: false, detail: "refused" });
    }
    await settle();
    expect(hangs).toEqual([]);
  });

  it("a check that does not answer in time fails, and is aborted", async () => {
    const { clock, manual, hangs, monitor } = setup({ failures: 1 });
    monitor.start();
    await clock.advance(60_000);
    await clock.advance(2_999);
    expect(hangs).toEqual([]);
    await clock.advance(1);
    expect(manual.runs[0]?.signal.aborted).toBe(true);
    expect(hangs.map(([, r]) => r)).toEqual([
      { check: "tcp", detail: "port 25565: no answer within 3000 ms" },
    ]);
  });

  it("stop ends everything: no further check, a late answer is ignored", async () => {
    const { clock, manual, hangs, monitor } = setup({ failures: 1 });
    monitor.start();
    await clock.advance(60_000);
    monitor.stop();
    expect(manual.runs[0]?.signal.aborted).toBe(true);
    manual.answer({ ok: false, detail: "refused" });
    await clock.advance(600_000);
    expect(hangs).toEqual([]);
    expect(manual.runs).toHaveLength(1);
    expect(clock.pending).toBe(0);
  });

  it("can be started again, with the count from zero", async () => {
    const { clock, manual, hangs, monitor } = setup({ failures: 2 });
    monitor.start();
    await clock.advance(60_000);
    manual.answer({ ok: false, detail: "refused" });
    monitor.stop();
    monitor.start();
    await clock.advance(60_000);
    manual.answer({ ok: false, detail: "refused" });
    await settle();
    expect(hangs).toEqual([]);
  });
});

/** A console a test types answers into. */
function fakeConsole(attached = true) {
  const written: string[] = [];
  const watchers = new Set<(line: string) => void>();
  return {
    written,
    watchers,
    print: (line: string) => [...watchers].forEach((w) => w(line)),
    console: {
      write: (data: string) => {
        written.push(data);
        return attached;
      },
      watchLines: (listener: (line: string) => void): Disposable => {
        watchers.add(listener);
        return { dispose: () => watchers.delete(listener) };
      },
    },
  };
}

describe("consoleProbe", () => {
  it("types the command and passes on the first matching line", async () => {
    const c = fakeConsole();
    const probe = consoleProbe(c.console, "list", /players online/);
    const result = probe.run(new AbortController().signal);
    expect(c.written).toEqual(["list\n"]);
    c.print("list");
    c.print("There are 0 of a max of 20 players online:");
    expect(await result).toEqual({ ok: true });
    expect(c.watchers.size).toBe(0);
    expect(probe.label).toBe("console (list → /players online/)");
  });

  it("ends without a listener left behind when aborted", async () => {
    const c = fakeConsole();
    const controller = new AbortController();
    const result = consoleProbe(c.console, "ping", /^pong$/).run(controller.signal);
    c.print("ping");
    controller.abort();
    expect(await result).toEqual({ ok: false, detail: "aborted" });
    expect(c.watchers.size).toBe(0);
  });

  it("fails at once when there is no console to type into", async () => {
    const c = fakeConsole(false);
    expect(await consoleProbe(c.console, "ping", /pong/).run(new AbortController().signal)).toEqual(
      { ok: false, detail: "console not attached" },
    );
    expect(c.watchers.size).toBe(0);
  });
});

describe("tcpTarget", () => {
  const ports = [
    { hostPort: 30001, containerPort: 25565, protocol: "tcp" as const },
    { hostPort: 30002, containerPort: 19132, protocol: "udp" as const },
  ];

  it("uses the host port published for the container port", () => {
    expect(tcpTarget(25565, ports, "docker")).toEqual({ host: "127.0.0.1", port: 30001 });
    expect(tcpTarget(25565, ports, "process")).toEqual({ host: "127.0.0.1", port: 30001 });
  });

  it("reaches an unpublished port only on the process driver", () => {
    expect(tcpTarget(8080, ports, "process")).toEqual({ host: "127.0.0.1", port: 8080 });
    expect(tcpTarget(8080, ports, "docker")).toBeNull();
    expect(tcpTarget(19132, ports, "docker")).toBeNull();
  });
});
