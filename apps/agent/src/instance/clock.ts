// Time as a dependency: instances take a Clock, so tests drive them with a fake one.

/** Opaque timer handle; only the clock that made it understands it. */
export type TimerHandle = object;

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export type WaitOutcome<T> = { kind: "done"; value: T } | { kind: "timeout" } | { kind: "aborted" };

/**
 * Waits for `promise` at most `ms`; an abort ends the wait at once. The timer and the abort
 * listener are removed whichever comes first. A rejection of `promise` rejects the wait.
 */
export function waitFor<T>(
  clock: Clock,
  promise: Promise<T>,
  ms: number,
  signal?: AbortSignal,
): Promise<WaitOutcome<T>> {
  if (signal?.aborted) return Promise.resolve({ kind: "aborted" });
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (finish: () => void) => {
      if (settled) return;
      settled = true;
      clock.clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      finish();
    };
    const onAbort = () => settle(() => resolve({ kind: "aborted" }));
    const timer = clock.setTimeout(() => settle(() => resolve({ kind: "timeout" })), ms);
    signal?.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => settle(() => resolve({ kind: "done", value })),
      (error: unknown) => settle(() => reject(error)),
    );
  });
}
