import { IDEMPOTENCY_KEY_TTL_MS, MAX_IDEMPOTENCY_KEYS, MAX_IDEMPOTENCY_KEY_LENGTH } from '@otel-rum/model';
import type { IncomingMessage } from 'node:http';
import { HttpError } from '../http/http-error';
import type { IdempotencyKeyRow } from '../store/rows';
import type { RumStore } from '../store/store';

/** What an ingest request was answered: the records it refused (OTLP partial success), and why. */
export interface IngestOutcome {
  rejected: number;
  errorMessage: string;
}

/** How often keys older than IDEMPOTENCY_KEY_TTL_MS are deleted from the store. */
export const IDEMPOTENCY_PRUNE_INTERVAL_MS = 10 * 60 * 1000;

/**
 * The request's `Idempotency-Key` scoped by the route's path (so that one sender's logs and traces
 * never meet), or undefined when it has none. A key over MAX_IDEMPOTENCY_KEY_LENGTH is refused.
 */
export function idempotencyKeyOf(req: IncomingMessage): string | undefined {
  const value = req.headers['idempotency-key'];
  if (typeof value !== 'string' || value === '') return undefined;
  if (value.length > MAX_IDEMPOTENCY_KEY_LENGTH)
    throw new HttpError(
      400,
      `Idempotency-Key is ${value.length} characters, over the limit of ${MAX_IDEMPOTENCY_KEY_LENGTH} (MAX_IDEMPOTENCY_KEY_LENGTH)`,
    );
  return `${(req.url ?? '').split('?')[0]} ${value}`;
}

/**
 * Remembers the Idempotency-Key of every committed ingest request (what an SDK sends, the same on
 * each retry: ours, and Grafana Faro's fetch transport) for IDEMPOTENCY_KEY_TTL_MS, at most
 * MAX_IDEMPOTENCY_KEYS of them, so that a request sent again (its answer was lost, or it timed out
 * after it reached the server) is answered as the first was and not stored twice.
 *
 * The keys live in this process's memory and, where the store keeps them (DuckDB), in the store too,
 * committed in the transaction of the request's rows: a restart loads the recent ones. A repeat that
 * arrives while the first is still being committed waits for it. With several server replicas over a
 * store that does not keep them (ClickHouse), each replica knows only the keys it committed itself.
 */
export class IdempotencyKeys {
  /** Committed keys, oldest first (a Map keeps insertion order). */
  private readonly committed = new Map<string, IngestOutcome & { at: number }>();
  /** Requests being committed now, by key. */
  private readonly pending = new Map<string, Promise<IngestOutcome>>();
  private pruneTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: RumStore,
    private readonly now: () => number = Date.now,
    private readonly maxKeys = MAX_IDEMPOTENCY_KEYS,
  ) {}

  /** Loads the recent keys the store kept, and starts deleting expired ones from it. */
  async load(): Promise<void> {
    if (!this.store.recentIdempotencyKeys) return;
    const since = this.now() - IDEMPOTENCY_KEY_TTL_MS;
    await this.store.forgetIdempotencyKeys?.(since);
    for (const k of await this.store.recentIdempotencyKeys(since, this.maxKeys)) {
      // A request whose rows went to several batches (Faro's logs and traces) has a row in each.
      const known = this.committed.get(k.key);
      if (known) {
        known.rejected += k.rejected;
        known.errorMessage = [known.errorMessage, k.errorMessage].filter(Boolean).join('; ');
      } else this.committed.set(k.key, { ...k, at: k.committedMs });
    }
    this.pruneTimer = setInterval(() => {
      void this.store.forgetIdempotencyKeys?.(this.now() - IDEMPOTENCY_KEY_TTL_MS).catch(() => undefined);
    }, IDEMPOTENCY_PRUNE_INTERVAL_MS).unref();
  }

  stop(): void {
    if (this.pruneTimer) clearInterval(this.pruneTimer);
  }

  /** Keys remembered now. */
  get size(): number {
    this.expire();
    return this.committed.size;
  }

  /**
   * Runs `ingest` for a request with `key` unless a request with that key was committed already
   * (then answers as it was answered, `repeat` true). `ingest` is given the row to commit with its
   * batches (null without a key).
   */
  async run(
    key: string | undefined,
    ingest: (row: (o: IngestOutcome) => IdempotencyKeyRow | null) => Promise<IngestOutcome>,
  ): Promise<IngestOutcome & { repeat: boolean }> {
    if (key === undefined) return { ...(await ingest(() => null)), repeat: false };
    for (;;) {
      this.expire();
      const done = this.committed.get(key);
      if (done) return { rejected: done.rejected, errorMessage: done.errorMessage, repeat: true };
      const running = this.pending.get(key);
      if (!running) break;
      // The first copy is being committed: its outcome decides (a refusal lets this one try).
      await running.catch(() => undefined);
    }
    const run = ingest((o) => ({ key, committedMs: this.now(), ...o }));
    this.pending.set(key, run);
    try {
      const outcome = await run;
      this.committed.set(key, { ...outcome, at: this.now() });
      this.expire();
      return { ...outcome, repeat: false };
    } finally {
      this.pending.delete(key);
    }
  }

  /** Forgets keys past IDEMPOTENCY_KEY_TTL_MS, and the oldest past MAX_IDEMPOTENCY_KEYS. */
  private expire(): void {
    const oldest = this.now() - IDEMPOTENCY_KEY_TTL_MS;
    for (const [k, v] of this.committed) {
      if (v.at >= oldest && this.committed.size <= this.maxKeys) break;
      this.committed.delete(k);
    }
  }
}
