/** Token buckets per key (a user, a user name at sign-in): `capacity` requests at once, refilled over `perMs`. */

export interface RateLimit {
  capacity: number;
  perMs: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly limit: RateLimit,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes one token for `key`: 0 when allowed, else the seconds until the next token. */
  take(key: string): number {
    const now = this.now();
    const refill = this.limit.capacity / this.limit.perMs;
    const bucket = this.buckets.get(key) ?? { tokens: this.limit.capacity, at: now };
    bucket.tokens = Math.min(this.limit.capacity, bucket.tokens + (now - bucket.at) * refill);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    // Full buckets are forgotten, so the map holds only keys that were busy lately.
    if (this.buckets.size > 10_000) this.sweep(now, refill);
    return Math.ceil((1 - bucket.tokens) / refill / 1000);
  }

  private sweep(now: number, refill: number): void {
    for (const [key, b] of this.buckets)
      if (b.tokens + (now - b.at) * refill >= this.limit.capacity) this.buckets.delete(key);
  }
}
