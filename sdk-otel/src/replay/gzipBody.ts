import { Gzip } from 'fflate';
import { REPLAY_GZIP_LEVEL } from '@otel-rum/model';

/** The body of the open replay segment: a JSON array of rrweb events, gzip-compressed as it grows. */
export interface SegmentBody {
  /** Appends one event's JSON. */
  add(json: string): void;
  /** Closes the array and the gzip stream; `done` gets the bytes, at once or, compressed elsewhere, later. */
  finish(done: (gzip: Uint8Array) => void): void;
  /** Ends a finish still in progress at once, synchronously (page hide: nothing may wait). */
  hurry(): void;
}

export const encoder = new TextEncoder();

export const concat = (parts: Uint8Array[]) => {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  n = 0;
  for (const p of parts) {
    out.set(p, n);
    n += p.length;
  }
  return out;
};

/**
 * Compresses the segment on the page while it is recorded (fflate's streaming gzip): where no worker
 * can be started (workerBody.ts). Finishing only deflates what is buffered and writes the trailer,
 * synchronously. CompressionStream cannot be finished synchronously.
 */
export function createGzipBody(): SegmentBody {
  const chunks: Uint8Array[] = [];
  let first = true;
  const gz = new Gzip({ level: REPLAY_GZIP_LEVEL }, (chunk) => chunk.length && chunks.push(chunk));
  return {
    add(json) {
      gz.push(encoder.encode((first ? '[' : ',') + json));
      first = false;
    },
    finish(done) {
      gz.push(encoder.encode(first ? '[]' : ']'), true);
      done(concat(chunks));
    },
    hurry() {},
  };
}
