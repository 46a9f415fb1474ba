import {
  DEFAULT_APP_EVENTS_PER_SECOND,
  DEFAULT_APP_EVENT_BURST,
  DEFAULT_BACKEND_EVENTS_PER_SECOND,
} from '@otel-rum/model';
import type { AppRegistry } from '../apps/registry';
import { HttpError } from '../http/http-error';
import { TokenBucket } from './token-bucket';

/** Bucket size of the shared limit on records without rum.app.id: ten seconds at its rate. */
const BACKEND_BURST_SECONDS = 10;

/**
 * Per-application ingest limits (the application's own, else the defaults), and one shared limit on
 * records that name no application (backend spans, metrics). One bucket per registered application,
 * reset when the application changes, dropped when it goes.
 */
export class IngestRateLimits {
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly backend: TokenBucket;

  constructor(
    private readonly apps: AppRegistry,
    backendPerSecond = DEFAULT_BACKEND_EVENTS_PER_SECOND,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.backend = new TokenBucket(backendPerSecond, backendPerSecond * BACKEND_BURST_SECONDS, now);
    apps.onChange(({ appId, previousAppId }) => {
      this.buckets.delete(appId);
      if (previousAppId) this.buckets.delete(previousAppId);
    });
  }

  private bucket(appId: string): TokenBucket {
    let b = this.buckets.get(appId);
    if (!b) {
      const limit = this.apps.get(appId)?.rateLimit;
      b = new TokenBucket(
        limit?.eventsPerSecond ?? DEFAULT_APP_EVENTS_PER_SECOND,
        limit?.burst ?? DEFAULT_APP_EVENT_BURST,
        this.now,
      );
      this.buckets.set(appId, b);
    }
    return b;
  }

  /**
   * Admits all the records of a request or none: when any application (or the backend share) is over
   * its limit, nothing is taken and the request is refused with 429 and Retry-After.
   */
  admit(perApp: ReadonlyMap<string, number>, unattributed: number): void {
    const wanted: [TokenBucket, number, string][] = [];
    for (const [appId, n] of perApp)
      if (n > 0) wanted.push([this.bucket(appId), n, `application "${appId}"`]);
    if (unattributed > 0) wanted.push([this.backend, unattributed, 'records without rum.app.id']);
    for (const [bucket, n, who] of wanted) {
      const wait = bucket.wait(n);
      if (wait > 0) {
        const seconds = Math.max(1, Math.ceil(wait));
        throw new HttpError(
          429,
          `rate limit of ${who} reached (${bucket.perSecond} events/s, burst ${bucket.burst}): retry in ${seconds} s`,
          { 'Retry-After': String(seconds) },
        );
      }
    }
    for (const [bucket, n] of wanted) bucket.take(n);
  }
}
