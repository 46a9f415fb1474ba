import { HttpError } from '../http/http-error';
import type { WriteBatch } from '../store/rows';
import type { RumStore } from '../store/store';

/** Rows (events + spans + points) waiting to be committed; past it, ingest answers 503. */
export const MAX_PENDING_WRITE_ROWS = 200_000;
/** Bytes of replay recordings (segment bodies) waiting to be committed; past it, ingest answers 503. */
export const MAX_PENDING_REPLAY_BYTES = 64 * 1024 * 1024;
/**
 * Rows that must be waiting before a second write starts while one is still committing. Each
 * transaction has a fixed cost (an insert statement per table, the commit), so small groups cost more
 * per row than the commit they would overlap; below this, the rows wait for the running commit.
 */
export const MIN_OVERLAPPING_WRITE_ROWS = 4_000;
/** Seconds a client is asked to wait when the write queue is full. */
export const WRITE_QUEUE_RETRY_AFTER_S = 1;

interface Pending {
  batch: WriteBatch;
  rows: number;
  replayBytes: number;
  resolve: () => void;
  reject: (e: Error) => void;
}

/**
 * The one write path. Requests wait here until their rows are committed; batches that arrive while a
 * commit is running are committed together in the next transaction, which may start before that
 * commit ends (MIN_OVERLAPPING_WRITE_ROWS). Bounded: when full, new requests are refused with 503 and
 * Retry-After rather than buffered.
 */
export class WriteQueue {
  private pending: Pending[] = [];
  private pendingRows = 0;
  private pendingReplayBytes = 0;
  /** Groups being committed now, at most the store's writeConcurrency. */
  private inFlight = 0;
  private readonly committed: ((batch: WriteBatch) => void)[] = [];

  constructor(
    private readonly store: RumStore,
    private readonly maxPendingRows = MAX_PENDING_WRITE_ROWS,
  ) {}

  /**
   * Calls `listener` with every batch once it is committed (generated metrics, usage). Listeners run
   * synchronously after the commit and before the senders are answered. A listener handles its own
   * errors: one that throws is ignored, so that a committed write is never answered as refused.
   */
  onCommit(listener: (batch: WriteBatch) => void): void {
    this.committed.push(listener);
  }

  get depth(): number {
    return this.pendingRows;
  }

  submit(batch: WriteBatch): Promise<void> {
    const rows = batch.events.length + batch.spans.length + batch.metricPoints.length;
    // Nothing to store: its repeat would store nothing either, so its idempotency key need not be kept.
    if (rows === 0) return Promise.resolve();
    let replayBytes = 0;
    for (const r of batch.replaySegments ?? []) replayBytes += r.payload.length;
    if (
      replayBytes > 0 &&
      this.pendingReplayBytes > 0 &&
      this.pendingReplayBytes + replayBytes > MAX_PENDING_REPLAY_BYTES
    ) {
      return Promise.reject(
        new HttpError(
          503,
          `write queue is full (${this.pendingReplayBytes} bytes of replay recordings pending, limit MAX_PENDING_REPLAY_BYTES ${MAX_PENDING_REPLAY_BYTES}): retry later`,
          { 'Retry-After': String(WRITE_QUEUE_RETRY_AFTER_S) },
        ),
      );
    }
    if (this.pendingRows + rows > this.maxPendingRows) {
      return Promise.reject(
        new HttpError(
          503,
          `write queue is full (${this.pendingRows} rows pending, limit ${this.maxPendingRows}): retry later`,
          { 'Retry-After': String(WRITE_QUEUE_RETRY_AFTER_S) },
        ),
      );
    }
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ batch, rows, replayBytes, resolve, reject });
      this.pendingRows += rows;
      this.pendingReplayBytes += replayBytes;
      this.pump();
    });
  }

  /**
   * Starts committing what waits, as one group: at once when no write runs, beside the running ones
   * when mayOverlap().
   */
  private pump(): void {
    while (this.pending.length > 0 && (this.inFlight === 0 || this.mayOverlap())) {
      const group = this.pending;
      this.pending = [];
      this.inFlight++;
      void this.commit(group).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  /**
   * Whether what waits may be written beside the running writes: enough rows, and no replay segment
   * (a segment sent twice, once in each of two concurrent transactions, would make one of them fail
   * on the segment's key, where one after the other the second is a no-op).
   */
  private mayOverlap(): boolean {
    if (this.inFlight >= this.store.writeConcurrency) return false;
    let rows = 0;
    for (const p of this.pending) {
      if (p.batch.replaySegments?.length) return false;
      rows += p.rows;
    }
    return rows >= MIN_OVERLAPPING_WRITE_ROWS;
  }

  private async commit(group: Pending[]): Promise<void> {
    try {
      try {
        await this.write(group);
        for (const p of group) p.resolve();
      } catch (e) {
        if (group.length === 1) throw e;
        // One request's rows can make the whole transaction fail; the requests grouped with it must
        // not be refused for it. Each is tried again alone (the failed transaction left nothing).
        for (const p of group) {
          try {
            await this.write([p]);
            p.resolve();
          } catch (alone) {
            p.reject(storeRefusal(alone));
          }
        }
      }
    } catch (e) {
      group[0]!.reject(storeRefusal(e));
    } finally {
      for (const p of group) {
        this.pendingRows -= p.rows;
        this.pendingReplayBytes -= p.replayBytes;
      }
    }
  }

  /** Commits the batches of the group in one transaction, then tells the commit listeners. */
  private async write(group: Pending[]): Promise<void> {
    const merged: WriteBatch = { events: [], spans: [], metricPoints: [], replaySegments: [] };
    for (const p of group) {
      merged.events.push(...p.batch.events);
      merged.spans.push(...p.batch.spans);
      merged.metricPoints.push(...p.batch.metricPoints);
      for (const r of p.batch.replaySegments ?? []) merged.replaySegments!.push(r);
      if (p.batch.idempotencyKeys) (merged.idempotencyKeys ??= []).push(...p.batch.idempotencyKeys);
    }
    await this.store.write(merged);
    for (const listener of this.committed) {
      try {
        listener(merged);
      } catch {
        // A listener's failure must not turn a committed write into a refusal.
      }
    }
  }
}

/**
 * The answer to a request whose transaction rolled back: nothing of it is stored, and its sender may
 * send it again (503 is one of the statuses OTLP exporters retry; 500 is not). What failed goes to the
 * log only.
 */
function storeRefusal(e: unknown): HttpError {
  const refusal = new HttpError(503, 'the store could not commit this request: retry later', {
    'Retry-After': String(WRITE_QUEUE_RETRY_AFTER_S),
  });
  refusal.cause = e;
  return refusal;
}
