import { MAX_BATCH_BYTES, MAX_BATCH_EVENTS, MAX_EVENT_BYTES } from '@otel-rum/model';

/** One encoded record: OTLP/JSON text or OTLP protobuf bytes. */
export type Encoded = string | Uint8Array<ArrayBuffer>;

/** Bytes a record or body takes on the wire (before compression). */
export const byteSize = (e: Encoded): number => (typeof e === 'string' ? utf8Length(e) : e.length);

/**
 * Collects records and hands them over, encoded, by count (MAX_BATCH_EVENTS) or time, in requests of
 * at most MAX_BATCH_BYTES. Records are encoded when the batch is handed over, not when they are
 * added: the events of a page's first second (view, session, resources, paint timings) then cost
 * their encoding once the page has loaded, in one pass of warm code.
 */
export interface Batch<T> {
  /** Queues one record; one whose encoding is larger than `maxBytes` (MAX_EVENT_BYTES) is dropped when the batch is handed over. */
  add(record: T, maxBytes?: number): void;
  /** Hands over what is queued now. */
  flush(final?: boolean): void;
  stop(): void;
}

export interface BatchOptions<T> {
  flushIntervalMs: number;
  encode(record: T): Encoded;
  /** One request's records; called once per MAX_BATCH_BYTES at a hand-over. */
  send(records: Encoded[], final: boolean): void;
  /** Called when a record is dropped for size. */
  onDrop?(bytes: number): void;
}

const NON_ASCII = /[^ -~\t\n\r]/;

/** Byte length of a string as UTF-8, without allocating (a native scan first: most records are ASCII). */
export function utf8Length(s: string): number {
  let n = s.length;
  if (!NON_ASCII.test(s)) return n;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // 2 bytes up to U+07FF, 3 up to U+FFFF; a surrogate pair (2 units) is 4 bytes.
    if (c > 0x7f) n += c > 0x7ff && (c < 0xd800 || c > 0xdfff) ? 2 : 1;
  }
  return n;
}

export function createBatch<T>(options: BatchOptions<T>): Batch<T> {
  let queued: [T, number][] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;

  const flush = (final = false) => {
    clearTimeout(timer);
    timer = undefined;
    const out = queued;
    queued = [];
    let records: Encoded[] = [];
    let bytes = 0;
    for (const [record, maxBytes] of out) {
      const encoded = options.encode(record);
      // +3: the separator or length prefix each record gets in the request
      const size = byteSize(encoded) + 3;
      if (size > maxBytes) {
        options.onDrop?.(size);
        continue;
      }
      if (records.length && bytes + size > MAX_BATCH_BYTES) {
        options.send(records, final);
        records = [];
        bytes = 0;
      }
      records.push(encoded);
      bytes += size;
    }
    if (records.length) options.send(records, final);
  };

  return {
    add(record, maxBytes = MAX_EVENT_BYTES) {
      queued.push([record, maxBytes]);
      if (queued.length >= MAX_BATCH_EVENTS) flush();
      else timer ??= setTimeout(flush, options.flushIntervalMs);
    },
    flush,
    stop() {
      clearTimeout(timer);
      timer = undefined;
      queued = [];
    },
  };
}
