// Test support: an instance wired to a fake driver, a fake clock and a log that remembers.
import type { ServerSpec } from "../drivers/driver";
import { FakeClock } from "./fake-clock";
import { FakeDriver } from "./fake-driver";
import type { InstanceLog } from "./instance-log";
import type { CrashDecision, CrashReport, StateChange, TemplatePolicy } from "./instance-types";
import { ServerInstance } from "./server-instance";

export interface LogEntry {
  level: "info" | "warn" | "error";
  obj: object;
  msg: string;
}

export function memoryLog(): InstanceLog & { entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  return {
    entries,
    info: (obj, msg) => entries.push({ level: "info", obj, msg }),
    warn: (obj, msg) => entries.push({ level: "warn", obj, msg }),
    error: (obj, msg) => entries.push({ level: "error", obj, msg }),
  };
}

export function specFor(serverId: string): ServerSpec {
  return {
    serverId,
    image: "example/game:1",
    command: ["./run.sh"],
    env: {},
    dataDir: `data/${serverId}`,
    workdir: "/home/container",
    limits: { memoryMb: 1024, cpuPercent: 100, pids: 256 },
    ports: [],
    capabilities: [],
  };
}

export function setup(
  policy: TemplatePolicy = {},
  serverId = "s1",
  superviseCrash?: (crash: CrashReport) => CrashDecision,
) {
  const clock = new FakeClock();
  const driver = new FakeDriver(clock);
  const log = memoryLog();
  const changes: StateChange[] = [];
  const crashes: CrashReport[] = [];
  const decisions: CrashDecision[] = [];
  const output: string[] = [];
  const instance = new ServerInstance({
    serverId,
    driver,
    spec: specFor(serverId),
    policy,
    clock,
    log,
    onState: (change) => changes.push(change),
    ...(superviseCrash ? { superviseCrash } : {}),
    onCrash: (crash, decision) => {
      crashes.push(crash);
      decisions.push(decision);
    },
    onOutput: (chunk) => output.push(chunk),
  });
  return {
    serverId,
    clock,
    driver,
    log,
    changes,
    crashes,
    decisions,
    output,
    instance,
    proc: () => driver.process(serverId),
    /** The states passed through, as "from→to". */
    path: () => changes.map((c) => `${c.from}→${c.to}`),
    warnings: () => log.entries.filter((e) => e.level === "warn"),
  };
}

export type Fixture = ReturnType<typeof setup>;

/** Starts a server (no done pattern unless the fixture has one) and checks it got there. */
export async function startServer(fx: Fixture): Promise<void> {
  const result = await fx.instance.start();
  if (!result.ok) throw new Error(`start failed: ${result.error.message}`);
}
