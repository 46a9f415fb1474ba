import { MAX_BATCH_BYTES, MAX_BATCH_EVENTS, MAX_EVENT_BYTES } from '@otel-rum/model';

/** One encoded record: OTLP/JSON text or OTLP protobuf bytes. */
export type Encoded = string | Uint8Array<ArrayBuffer>;

/** Bytes a record or body takes on the wire (before compression). */
export const byteSize = (e: Encoded): number => (typeof e === 'string' ? utf8Length(e) : e.length);

/** Collects encoded records and hands them over by count (MAX_BATCH_EVENTS), bytes (MAX_BATCH_BYTES) or time. */
export interface Batch {
  /** Queues one encoded record; returns false when it is larger than `maxBytes` (MAX_EVENT_BYTES) and was dropped. */
  add(record: Encoded, maxBytes?: number): boolean;
  /** Hands over what is queued now. */
  flush(final?: boolean): void;
  stop(): void;
}

export interface BatchOptions {
  flushIntervalMs: number;
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

export function createBatch(options: BatchOptions): Batch {
  let records: Encoded[] = [];
  let bytes = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const flush = (final = false) => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (!records.length) return;
    const out = records;
    records = [];
    bytes = 0;
    options.send(out, final);
  };

  return {
    add(record, maxBytes = MAX_EVENT_BYTES) {
      // +3: the separator or length prefix each record gets in the request
      const size = byteSize(record) + 3;
      if (size > maxBytes) {
        options.onDrop?.(size);
        return false;
      }
      if (bytes + size > MAX_BATCH_BYTES) flush();
      records.push(record);
      bytes += size;
      if (records.length >= MAX_BATCH_EVENTS) flush();
      else if (!timer) timer = setTimeout(flush, options.flushIntervalMs);
      return true;
    },
    flush,
    stop() {
      if (timer) clearTimeout(timer);
      timer = undefined;
      records = [];
      bytes = 0;
    },
  };
}
