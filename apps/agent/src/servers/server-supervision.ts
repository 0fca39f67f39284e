// Crash supervision of the node's servers, wired to their instances: the restart policy decides,
// the classifier explains, each crash becomes one `server:crash` report, and servers with a
// liveness check are watched while they run.
import { randomUUID } from "node:crypto";
import type { ServerCrashEvent, ServerSpecPayload, StatsSample } from "@berth/protocol";
import type { Logger } from "pino";
import type { DriverName } from "../drivers/driver";
import type { Clock } from "../instance/clock";
import type {
  CrashDecision,
  CrashReport,
  HangReport,
  StateChange,
} from "../instance/instance-types";
import type { ServerInstance } from "../instance/server-instance";
import type { ServerEvent } from "../instance/server-state";
import { classifyCrash } from "../supervision/crash-classifier";
import { CrashSupervisor } from "../supervision/crash-supervisor";
import { LivenessMonitor, type Probe } from "../supervision/liveness-monitor";
import { consoleProbe, tcpProbe, tcpTarget } from "../supervision/liveness-probes";

/** What a person does to a server: it ends a crash streak and any pending restart. */
const TAKE_OVER: ReadonlySet<ServerEvent> = new Set([
  "start_requested",
  "stop_requested",
  "kill_requested",
  "install_begin",
]);

const MAX_LOG_TAIL = 100;

export interface SupervisedServer {
  spec: ServerSpecPayload;
  instance: ServerInstance;
}

export interface ServerSupervisionOptions {
  clock: Clock;
  log: Logger;
  driver: DriverName;
  /** The server as it is now (a replaced instance is not the server any more). */
  server(serverId: string): SupervisedServer | null;
  /** The server's newest usage sample, for telling an OOM kill from another SIGKILL. */
  usage?(serverId: string): StatsSample | null;
  onCrash?(event: ServerCrashEvent): void;
  newCrashId?: () => string;
}

export class ServerSupervision {
  private readonly options: ServerSupervisionOptions;
  private readonly supervisor: CrashSupervisor;
  private readonly monitors = new Map<string, LivenessMonitor>();

  constructor(options: ServerSupervisionOptions) {
    this.options = options;
    this.supervisor = new CrashSupervisor({
      clock: options.clock,
      restart: (serverId) => this.restart(serverId),
    });
  }

  /** The instance's `superviseCrash`: asked before the server's state changes. */
  decide(spec: ServerSpecPayload, crash: CrashReport): CrashDecision {
    return this.supervisor.crashed(spec.serverId, spec.policy.restart, crash);
  }

  /** The instance's `onCrash`: classifies the crash and reports it. */
  recorded(spec: ServerSpecPayload, crash: CrashReport, decision: CrashDecision): void {
    const { exit } = crash;
    const sample = this.options.usage?.(spec.serverId) ?? null;
    // A sample from an earlier run says nothing about this one.
    const memory =
      sample && sample.at >= crash.at - crash.uptimeMs
        ? { usedBytes: sample.memoryBytes, limitBytes: sample.memoryLimitBytes }
        : null;
    const logTail = crash.logTail.slice(-MAX_LOG_TAIL).map((line) => line.slice(0, 4096));
    const found = classifyCrash({
      exit,
      logTail,
      memory,
      rules: spec.policy.crashRules,
      ...(crash.hung ? { hung: crash.hung } : {}),
    });
    const event: ServerCrashEvent = {
      serverId: spec.serverId,
      crashId: (this.options.newCrashId ?? randomUUID)(),
      at: crash.at,
      exitCode: exit.exitCode,
      signal: exit.signal?.slice(0, 32) ?? null,
      oomKilled: exit.oomKilled,
      uptimeMs: Math.max(0, Math.round(crash.uptimeMs)),
      logTail,
      class: found.class,
      matchedRule: found.matchedRule.slice(0, 64),
      subject: found.subject,
      suggestion: found.suggestion,
      restartAt: decision.kind === "restart" ? decision.at : null,
      crashLoop: decision.kind === "crash_loop",
    };
    this.options.log.warn(
      {
        serverId: spec.serverId,
        crashId: event.crashId,
        class: event.class,
        matchedRule: event.matchedRule,
        subject: event.subject,
        exit,
        uptimeMs: event.uptimeMs,
        restartAt: event.restartAt,
        crashLoop: event.crashLoop,
      },
      "server crashed",
    );
    try {
      this.options.onCrash?.(event);
    } catch (error) {
      this.options.log.error({ err: error }, "crash listener failed");
    }
  }

  /** Every state change of a current instance. */
  stateChanged(spec: ServerSpecPayload, change: StateChange): void {
    if (TAKE_OVER.has(change.event)) this.supervisor.takenOver(change.serverId);
    if (change.to === "running") this.watch(spec);
    else this.unwatch(change.serverId);
  }

  /** The server is gone or replaced: no restart, no checks. */
  forget(serverId: string): void {
    this.supervisor.forget(serverId);
    this.unwatch(serverId);
  }

  /** Drops pending restarts and stops every check; the servers themselves are left alone. */
  dispose(): void {
    this.supervisor.dispose();
    for (const serverId of [...this.monitors.keys()]) this.unwatch(serverId);
  }

  private restart(serverId: string): void {
    const server = this.options.server(serverId);
    if (!server) return;
    void server.instance.autoRestart().then((result) => {
      if (!result.ok) {
        this.options.log.warn(
          { serverId, error: result.error },
          "automatic restart did not happen",
        );
      }
    });
  }

  private watch(spec: ServerSpecPayload): void {
    const { serverId, policy } = spec;
    const check = policy.liveness;
    if (!check || this.monitors.has(serverId)) return;
    const probe = this.probeFor(spec);
    if (!probe) return;
    const monitor = new LivenessMonitor({
      check,
      probe,
      clock: this.options.clock,
      onHung: (report) => this.hung(serverId, report),
    });
    this.monitors.set(serverId, monitor);
    monitor.start();
  }

  private unwatch(serverId: string): void {
    this.monitors.get(serverId)?.stop();
    this.monitors.delete(serverId);
  }

  private hung(serverId: string, report: HangReport): void {
    this.monitors.delete(serverId);
    const server = this.options.server(serverId);
    if (!server) return;
    this.options.log.warn({ serverId, ...report }, "liveness check failed; killing the server");
    void server.instance.hang(report).then((result) => {
      if (!result.ok) this.options.log.info({ serverId, error: result.error }, "hang not recorded");
    });
  }

  private probeFor(spec: ServerSpecPayload): Probe | null {
    const check = spec.policy.liveness;
    const log = this.options.log.child({ serverId: spec.serverId });
    if (!check) return null;
    if (check.kind === "tcp") {
      const target = tcpTarget(check.port, spec.ports, this.options.driver);
      if (!target) {
        log.warn({ port: check.port }, "liveness check skipped: its port is not published");
        return null;
      }
      return tcpProbe(target);
    }
    let expect: RegExp;
    try {
      expect = new RegExp(check.expect);
    } catch (error) {
      log.warn({ err: error }, "liveness check skipped: its pattern is not a valid regex");
      return null;
    }
    const current = () => this.options.server(spec.serverId)?.instance ?? null;
    return consoleProbe(
      {
        write: (data) => current()?.writeConsole(data).ok ?? false,
        watchLines: (listener) => current()?.watchLines(listener) ?? { dispose() {} },
      },
      check.command,
      expect,
    );
  }
}
