// Pure translations from the Docker Engine API's shapes to the driver's: container state, exit
// information and one stats sample. No I/O here, so it is unit-tested without an engine.
import { constants } from "node:os";
import type Docker from "dockerode";
import type { ExitInfo, ProcessState, ServerStats } from "../driver";

const SIGNAL_NAMES = new Map<number, string>(
  Object.entries(constants.signals).map(([name, number]) => [number, name]),
);

/**
 * The signal behind an exit code, e.g. 137 → "SIGKILL". Docker reports a process killed by a
 * signal as 128 + signal number (and so does the init process that forwards to the server), so
 * this is a best guess: a program that calls `exit(143)` itself reads as SIGTERM too.
 */
export function signalFromExitCode(exitCode: number | null): string | null {
  if (exitCode === null || exitCode <= 128 || exitCode > 128 + 31) return null;
  return SIGNAL_NAMES.get(exitCode - 128) ?? null;
}

/** Docker's timestamps; its zero time ("0001-01-01T00:00:00Z") means "never" → null. */
export function parseDockerTime(value: string | undefined | null): Date | null {
  if (!value || value.startsWith("0001-01-01")) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

type DockerState = Docker.ContainerInspectInfo["State"];

/**
 * Whether the exit was an OOM kill of the server itself. Docker sets `OOMKilled` when the kernel
 * killed *any* process of the container for memory, including a child while PID 1 lives on and
 * later exits for another reason; only a SIGKILL exit makes it the server's own death.
 */
export function isOomExit(oomKilledFlag: boolean, exitCode: number | null): boolean {
  return oomKilledFlag && exitCode === 137;
}

export function toProcessState(state: DockerState): ProcessState {
  const running = state.Running || state.Restarting;
  const startedAt = parseDockerTime(state.StartedAt);
  // While a restarted container runs, Docker still shows the previous run's FinishedAt and an
  // ExitCode of 0: none of it describes the current process.
  const finishedAt = running ? null : parseDockerTime(state.FinishedAt);
  const exitCode = finishedAt === null ? null : state.ExitCode;
  return {
    exists: true,
    running,
    exitCode,
    signal: signalFromExitCode(exitCode),
    oomKilled: isOomExit(state.OOMKilled, exitCode),
    startedAt,
    finishedAt,
  };
}

/**
 * Exit information from `POST /containers/{id}/wait` (authoritative for the code) and, when the
 * container still exists, its state right after (the only place Docker reports `OOMKilled`).
 */
export function toExitInfo(waitStatusCode: number | null, state: DockerState | null): ExitInfo {
  const exitCode = waitStatusCode ?? (state && !state.Running ? state.ExitCode : null);
  return {
    exitCode,
    signal: signalFromExitCode(exitCode),
    oomKilled: isOomExit(state?.OOMKilled ?? false, exitCode),
  };
}

/** A `stats?stream=false` sample: Docker fills `precpu_stats` with the sample before it. */
export function toServerStats(raw: Docker.ContainerStats): ServerStats {
  const cpu = raw.cpu_stats;
  const pre = raw.precpu_stats;
  const cpuDelta = (cpu?.cpu_usage?.total_usage ?? 0) - (pre?.cpu_usage?.total_usage ?? 0);
  const systemDelta = (cpu?.system_cpu_usage ?? 0) - (pre?.system_cpu_usage ?? 0);
  const onlineCpus = cpu?.online_cpus || cpu?.cpu_usage?.percpu_usage?.length || 1;
  const cpuPercent =
    cpuDelta > 0 && systemDelta > 0 ? (cpuDelta / systemDelta) * onlineCpus * 100 : 0;

  const memory = raw.memory_stats ?? {};
  const usage = memory.usage ?? 0;
  // What `docker stats` shows: page cache that can be dropped is not the program's memory
  // (cgroup v1 reports it as total_inactive_file, v2 as inactive_file).
  const stats = (memory.stats ?? {}) as Record<string, number | undefined>;
  const inactive = stats.total_inactive_file ?? stats.inactive_file ?? 0;
  const memoryBytes = inactive < usage ? usage - inactive : usage;

  let rxBytes = 0;
  let txBytes = 0;
  for (const net of Object.values(raw.networks ?? {})) {
    rxBytes += net.rx_bytes ?? 0;
    txBytes += net.tx_bytes ?? 0;
  }
  return {
    cpuPercent: Math.round(cpuPercent * 100) / 100,
    memoryBytes,
    memoryLimitBytes: memory.limit ?? 0,
    rxBytes,
    txBytes,
  };
}
