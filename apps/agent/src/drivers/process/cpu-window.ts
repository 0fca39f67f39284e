import { USER_HZ } from "./proc-stat";

/**
 * CPU use of a process tree from its summed clock ticks over a sliding window of samples
 * (100 = one full core). Ticks are 10 ms, so a window of about a second keeps the figure steady.
 */
export class CpuWindow {
  readonly #samples: { atMs: number; ticks: number }[] = [];

  constructor(readonly windowMs = 1000) {}

  add(atMs: number, ticks: number): void {
    this.#samples.push({ atMs, ticks });
    // Keep the newest sample that is at least a window old, and everything after it.
    while (this.#samples.length > 2 && atMs - this.#samples[1]!.atMs >= this.windowMs) {
      this.#samples.shift();
    }
  }

  percent(): number {
    const first = this.#samples[0];
    const last = this.#samples.at(-1);
    if (!first || !last || last.atMs <= first.atMs) return 0;
    // Ticks of processes that exited and were reaped outside the tree vanish from the sum;
    // never report that as negative use.
    const ticks = Math.max(0, last.ticks - first.ticks);
    return (ticks / USER_HZ / ((last.atMs - first.atMs) / 1000)) * 100;
  }
}
