export type ProgressListener = (bytes: number, total: number | undefined) => void;

interface Flight<T> {
  promise: Promise<T>;
  listeners: Set<ProgressListener>;
}

/**
 * One task per key at a time: a caller asking for a key whose task is running joins it (same
 * result, same error, and from then on the same progress) instead of starting another. Different
 * keys run in parallel. The key is forgotten once its task settles, so a failed task can be
 * tried again.
 */
export class InstallGuard<T> {
  private readonly flights = new Map<string, Flight<T>>();

  run(
    key: string,
    task: (progress: ProgressListener) => Promise<T>,
    listener?: ProgressListener,
  ): Promise<T> {
    const running = this.flights.get(key);
    if (running) {
      if (listener) running.listeners.add(listener);
      return running.promise;
    }
    const listeners = new Set<ProgressListener>(listener ? [listener] : []);
    const progress: ProgressListener = (bytes, total) => {
      for (const each of listeners) each(bytes, total);
    };
    const promise = Promise.resolve()
      .then(() => task(progress))
      .finally(() => this.flights.delete(key));
    this.flights.set(key, { promise, listeners });
    return promise;
  }

  /** Keys whose task is running. */
  get running(): string[] {
    return [...this.flights.keys()];
  }
}
