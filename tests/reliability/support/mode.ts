/**
 * Reliability tests run short in the normal `npm test` and long under `npm run test:reliability`
 * (RELIABILITY_FULL=1), where the figures of docs/reliability.md come from.
 */
export const FULL = process.env.RELIABILITY_FULL === '1';

/** The short value in the normal suite, the long one under test:reliability. */
export function byMode<T>(short: T, full: T): T {
  return FULL ? full : short;
}

/** Prints one `key=value` figure line (the form docs/reliability.md quotes). */
export function report(figures: Record<string, string | number>): void {
  process.stdout.write(
    Object.entries(figures)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ') + '\n',
  );
}
