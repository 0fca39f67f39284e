import type Docker from "dockerode";
import { describe, expect, it } from "vitest";
import {
  parseDockerTime,
  signalFromExitCode,
  toExitInfo,
  toProcessState,
  toServerStats,
} from "./state";

type State = Docker.ContainerInspectInfo["State"];

function state(overrides: Partial<State>): State {
  return {
    Status: "exited",
    Running: false,
    Paused: false,
    Restarting: false,
    OOMKilled: false,
    Dead: false,
    Pid: 0,
    ExitCode: 0,
    Error: "",
    StartedAt: "0001-01-01T00:00:00Z",
    FinishedAt: "0001-01-01T00:00:00Z",
    ...overrides,
  };
}

describe("signalFromExitCode", () => {
  it("names the signal behind 128 + n", () => {
    expect(signalFromExitCode(137)).toBe("SIGKILL");
    expect(signalFromExitCode(143)).toBe("SIGTERM");
    expect(signalFromExitCode(130)).toBe("SIGINT");
  });
  it("leaves ordinary codes alone", () => {
    expect(signalFromExitCode(0)).toBeNull();
    expect(signalFromExitCode(3)).toBeNull();
    expect(signalFromExitCode(128)).toBeNull();
    expect(signalFromExitCode(255)).toBeNull();
    expect(signalFromExitCode(null)).toBeNull();
  });
});

describe("parseDockerTime", () => {
  it("treats Docker's zero time as never", () => {
    expect(parseDockerTime("0001-01-01T00:00:00Z")).toBeNull();
    expect(parseDockerTime("")).toBeNull();
    expect(parseDockerTime(undefined)).toBeNull();
  });
  it("parses nanosecond timestamps", () => {
    expect(parseDockerTime("2026-05-07T10:11:12.123456789Z")?.toISOString()).toBe(
      "2026-05-07T10:11:12.123Z",
    );
  });
});

describe("toProcessState", () => {
  it("reports a created container as never run", () => {
    expect(toProcessState(state({ Status: "created" }))).toEqual({
      exists: true,
      running: false,
      exitCode: null,
      signal: null,
      oomKilled: false,
      startedAt: null,
      finishedAt: null,
    });
  });

  it("hides the previous run's exit while running again", () => {
    const s = toProcessState(
      state({
        Status: "running",
        Running: true,
        ExitCode: 0,
        OOMKilled: true,
        StartedAt: "2026-05-07T10:00:00Z",
        FinishedAt: "2026-05-07T09:00:00Z",
      }),
    );
    expect(s).toMatchObject({ running: true, exitCode: null, signal: null, oomKilled: false });
    expect(s.finishedAt).toBeNull();
    expect(s.startedAt?.toISOString()).toBe("2026-05-07T10:00:00.000Z");
  });

  it("derives the signal and the OOM kill from an exited container", () => {
    const s = toProcessState(
      state({
        ExitCode: 137,
        OOMKilled: true,
        StartedAt: "2026-05-07T10:00:00Z",
        FinishedAt: "2026-05-07T10:00:05Z",
      }),
    );
    expect(s).toMatchObject({ running: false, exitCode: 137, signal: "SIGKILL", oomKilled: true });
  });

  it("does not blame OOM when only a child was OOM-killed and the server exited normally", () => {
    const s = toProcessState(
      state({ ExitCode: 0, OOMKilled: true, FinishedAt: "2026-05-07T10:00:05Z" }),
    );
    expect(s).toMatchObject({ exitCode: 0, oomKilled: false });
  });
});

describe("toExitInfo", () => {
  it("takes the code from wait and OOM from the state", () => {
    expect(toExitInfo(137, state({ ExitCode: 137, OOMKilled: true }))).toEqual({
      exitCode: 137,
      signal: "SIGKILL",
      oomKilled: true,
    });
    expect(toExitInfo(3, null)).toEqual({ exitCode: 3, signal: null, oomKilled: false });
    expect(toExitInfo(null, null)).toEqual({ exitCode: null, signal: null, oomKilled: false });
  });
});

describe("toServerStats", () => {
  it("computes CPU from the delta to the previous sample and sums the networks", () => {
    const raw = {
      cpu_stats: {
        cpu_usage: { total_usage: 3_000_000_000 },
        system_cpu_usage: 20_000_000_000,
        online_cpus: 2,
      },
      precpu_stats: {
        cpu_usage: { total_usage: 2_000_000_000 },
        system_cpu_usage: 18_000_000_000,
        online_cpus: 2,
      },
      memory_stats: {
        usage: 10_000_000,
        limit: 32 * 2 ** 20,
        stats: { total_inactive_file: 1_000_000 },
      },
      networks: {
        eth0: { rx_bytes: 100, tx_bytes: 10 },
        eth1: { rx_bytes: 1, tx_bytes: 2 },
      },
    } as unknown as Docker.ContainerStats;
    // 1 s of CPU over 2 s of two cores' system time: half of the machine = one core = 100 %.
    expect(toServerStats(raw)).toEqual({
      cpuPercent: 100,
      memoryBytes: 9_000_000,
      memoryLimitBytes: 32 * 2 ** 20,
      rxBytes: 101,
      txBytes: 12,
    });
  });

  it("reads a first sample without a previous one as idle", () => {
    const raw = {
      cpu_stats: { cpu_usage: { total_usage: 5 }, system_cpu_usage: 10, online_cpus: 1 },
      precpu_stats: { cpu_usage: { total_usage: 0 } },
      memory_stats: {},
    } as unknown as Docker.ContainerStats;
    expect(toServerStats(raw)).toMatchObject({ memoryBytes: 0, rxBytes: 0, txBytes: 0 });
  });
});
