export interface TokenBucketOptions {
  /** Tokens held when full: the largest burst. */
  capacity: number;
  /** Tokens added per second, up to `capacity`. */
  refillPerSecond: number;
  /** Milliseconds; injected so tests run on a fake clock. */
  now: () => number;
}

/** A token bucket that starts full. Nothing runs in the background: refills are computed on use. */
export class TokenBucket {
  readonly capacity: number;
  private readonly refillPerMs: number;
  private readonly now: () => number;
  private tokens: number;
  private updatedAt: number;

  constructor({ capacity, refillPerSecond, now }: TokenBucketOptions) {
    if (!(capacity > 0) || !(refillPerSecond > 0)) {
      throw new RangeError("capacity and refillPerSecond must be positive");
    }
    this.capacity = capacity;
    this.refillPerMs = refillPerSecond / 1000;
    this.now = now;
    this.tokens = capacity;
    this.updatedAt = now();
  }

  get available(): number {
    this.refill();
    return this.tokens;
  }

  /** Takes `count` tokens if there are that many; otherwise takes none. */
  tryTake(count: number): boolean {
    if (!this.canTake(count)) return false;
    this.tokens -= count;
    return true;
  }

  canTake(count: number): boolean {
    return count <= this.available;
  }

  private refill(): void {
    const at = this.now();
    if (at > this.updatedAt) {
      this.tokens = Math.min(this.capacity, this.tokens + (at - this.updatedAt) * this.refillPerMs);
    }
    this.updatedAt = at;
  }
}

/** Takes from every bucket or, when any of them is short, from none. */
export function tryTakeAll(takes: ReadonlyArray<readonly [TokenBucket, number]>): boolean {
  if (!takes.every(([bucket, count]) => bucket.canTake(count))) return false;
  for (const [bucket, count] of takes) bucket.tryTake(count);
  return true;
}
