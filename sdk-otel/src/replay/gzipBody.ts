import { Gzip } from 'fflate';

/** The body of the open replay segment: a JSON array of rrweb events, gzip-compressed as it grows. */
export interface SegmentBody {
  /** Appends one event's JSON. */
  add(json: string): void;
  /** Closes the array and the gzip stream; synchronous, so it works while the page unloads. */
  finish(): Uint8Array;
}

/** zlib level: 6 is gzip's default, most of level 9's ratio at a fraction of its time. */
export const REPLAY_GZIP_LEVEL = 6;

const encoder = new TextEncoder();

/**
 * Compresses the segment while it is recorded (fflate's streaming gzip, in JavaScript): finishing it
 * only deflates the last few kilobytes and writes the trailer, with no await, so page hide sends
 * gzip like every other segment. CompressionStream cannot be finished synchronously.
 */
export function createGzipBody(): SegmentBody {
  const chunks: Uint8Array[] = [];
  let size = 0;
  let first = true;
  const gz = new Gzip({ level: REPLAY_GZIP_LEVEL }, (chunk) => {
    if (!chunk.length) return;
    chunks.push(chunk);
    size += chunk.length;
  });
  return {
    add(json) {
      gz.push(encoder.encode((first ? '[' : ',') + json));
      first = false;
    },
    finish() {
      gz.push(encoder.encode(first ? '[]' : ']'), true);
      const out = new Uint8Array(size);
      let at = 0;
      for (const c of chunks) {
        out.set(c, at);
        at += c.length;
      }
      return out;
    },
  };
}
