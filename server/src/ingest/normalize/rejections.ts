/** Counts the records of one request that were refused, and why, for OTLP partial success. */
export class Rejections {
  count = 0;
  private readonly reasons = new Map<string, number>();

  add(reason: string, n = 1): void {
    this.count += n;
    this.reasons.set(reason, (this.reasons.get(reason) ?? 0) + n);
  }

  /** A warning about accepted records (kept, but changed), reported in errorMessage too. */
  note(reason: string): void {
    this.reasons.set(reason, (this.reasons.get(reason) ?? 0) + 0);
  }

  get message(): string {
    return [...this.reasons.entries()].map(([r, n]) => (n > 0 ? `${n} rejected: ${r}` : r)).join('; ');
  }
}
