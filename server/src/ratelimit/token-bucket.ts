/**
 * A token bucket: `burst` events at once, refilled at `perSecond`. A request larger than what is left
 * may still pass when the bucket holds at least min(request, burst): it then leaves a debt that later
 * requests wait out, so that a request bigger than the bucket is not refused forever and the long-run
 * rate still holds.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    readonly perSecond: number,
    readonly burst: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = burst;
    this.last = now();
  }

  private refill(): void {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.perSecond);
    this.last = t;
  }

  /** Seconds until `n` events may pass, 0 when they may pass now. */
  wait(n: number): number {
    this.refill();
    const need = Math.min(n, this.burst);
    return this.tokens >= need ? 0 : (need - this.tokens) / this.perSecond;
  }

  /** Takes `n` events; call only after wait(n) answered 0. */
  take(n: number): void {
    this.tokens -= n;
  }
}
