// Remembers a positive access check for a short while, so every keystroke can be authorized
// without a database round trip, while a revoked user or a deleted server is noticed within the TTL.
// Refusals are never cached. Concurrent checks of one key share one lookup.

export interface AccessCacheOptions<T> {
  ttlMs: number;
  now: () => number;
  /** The real check: a value when allowed, null when not. */
  check: (key: string) => Promise<T | null>;
}

export class AccessCache<T> {
  private readonly granted = new Map<string, { value: T; until: number }>();
  private readonly checking = new Map<string, Promise<T | null>>();
  private generation = 0;

  constructor(private readonly options: AccessCacheOptions<T>) {}

  /** The cached grant while it is fresh; undefined when a check is needed. */
  fresh(key: string): T | undefined {
    const entry = this.granted.get(key);
    if (!entry) return undefined;
    if (this.options.now() < entry.until) return entry.value;
    this.granted.delete(key);
    return undefined;
  }

  /** The grant (fresh from the cache, or checked now), or null when access is refused. */
  get(key: string): Promise<T | null> {
    const cached = this.fresh(key);
    if (cached !== undefined) return Promise.resolve(cached);
    const running = this.checking.get(key);
    if (running) return running;
    // The TTL counts from before the lookup, so a grant is never trusted for longer than ttlMs.
    const startedAt = this.options.now();
    const generation = this.generation;
    const lookup = this.options
      .check(key)
      .then((value) => {
        if (value !== null && generation === this.generation) {
          this.granted.set(key, { value, until: startedAt + this.options.ttlMs });
        }
        return value;
      })
      .finally(() => {
        if (this.checking.get(key) === lookup) this.checking.delete(key);
      });
    this.checking.set(key, lookup);
    return lookup;
  }

  /** Drops the grant; a check already running is answered but not cached. */
  forget(key: string): void {
    this.generation += 1;
    this.granted.delete(key);
    this.checking.delete(key);
  }

  clear(): void {
    this.generation += 1;
    this.granted.clear();
    this.checking.clear();
  }
}
