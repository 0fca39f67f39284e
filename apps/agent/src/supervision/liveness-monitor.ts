// When to check a running server's liveness and when to call it hung: the first check after
// `initialDelayMs`, then one every `intervalMs` (never two at once), each given `timeoutMs`;
// `failures` failed checks in a row are a hang. How a check is done is the probe's business.
import type { LivenessCheck } from "@berth/protocol";
import { waitFor, type Clock, type TimerHandle } from "../instance/clock";
import type { HangReport } from "../instance/instance-types";

export type ProbeResult = { ok: true } | { ok: false; detail: string };

export interface Probe {
  /** What is checked, for messages: "port 25565", "console". */
  label: string;
  /** One check; it ends early (and cleans up) when `signal` aborts. */
  run(signal: AbortSignal): Promise<ProbeResult>;
}

export interface LivenessMonitorOptions {
  check: LivenessCheck;
  probe: Probe;
  clock: Clock;
  /** Called once, after the last failed check; the monitor has stopped by then. */
  onHung(report: HangReport): void;
}

export class LivenessMonitor {
  private readonly options: LivenessMonitorOptions;
  private timer: TimerHandle | null = null;
  private inFlight: AbortController | null = null;
  private failed = 0;
  private stopped = true;

  constructor(options: LivenessMonitorOptions) {
    this.options = options;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.failed = 0;
    this.schedule(this.options.check.initialDelayMs);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) this.options.clock.clearTimeout(this.timer);
    this.timer = null;
    this.inFlight?.abort();
    this.inFlight = null;
  }

  private schedule(ms: number): void {
    this.timer = this.options.clock.setTimeout(() => {
      this.timer = null;
      void this.checkOnce();
    }, ms);
  }

  private async checkOnce(): Promise<void> {
    const { check, probe, clock } = this.options;
    const startedAt = clock.now();
    const controller = new AbortController();
    this.inFlight = controller;
    let result: ProbeResult;
    try {
      const waited = await waitFor(clock, probe.run(controller.signal), check.timeoutMs);
      result =
        waited.kind === "done"
          ? waited.value
          : { ok: false, detail: `${probe.label}: no answer within ${check.timeoutMs} ms` };
    } catch (error) {
      result = { ok: false, detail: `${probe.label}: ${(error as Error).message}` };
    }
    controller.abort();
    if (this.stopped || this.inFlight !== controller) return;
    this.inFlight = null;

    this.failed = result.ok ? 0 : this.failed + 1;
    if (!result.ok && this.failed >= check.failures) {
      this.stop();
      const last = result.detail;
      const detail = check.failures > 1 ? `${check.failures} checks failed; last: ${last}` : last;
      this.options.onHung({ check: check.kind, detail });
      return;
    }
    this.schedule(Math.max(0, check.intervalMs - (clock.now() - startedAt)));
  }
}
