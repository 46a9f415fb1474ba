/*
 * The replay compression worker (bundled into a string by bundle-options.js, started from a Blob URL
 * by workerBody.ts). Compresses each segment's texts into gzip members of about
 * REPLAY_WORKER_MEMBER_BYTES of input each, handing each member back as soon as it is complete, so
 * that the page can finish a segment itself, at once, at page hide: the members, then what they do
 * not hold yet as one more member (a gzip stream may hold several members; gunzip reads them all).
 */
import { Gzip } from 'fflate';
import { REPLAY_GZIP_LEVEL, REPLAY_WORKER_MEMBER_BYTES } from '@otel-rum/model';
import type { FromWorker, ToWorker } from './workerProtocol';

interface Stream {
  gz?: Gzip;
  out: Uint8Array[];
  /** Texts pushed, and bytes pushed into the open member. */
  count: number;
  size: number;
}

const streams = new Map<number, Stream>();
const encoder = new TextEncoder();

/** Ends the open member and hands back what was compressed since the last one. */
const post = (id: number, s: Stream, final: boolean) => {
  s.gz?.push(new Uint8Array(0), true);
  s.gz = undefined;
  s.size = 0;
  let n = 0;
  for (const c of s.out) n += c.length;
  const bytes = new Uint8Array(n);
  n = 0;
  for (const c of s.out) {
    bytes.set(c, n);
    n += c.length;
  }
  s.out = [];
  const m: FromWorker = { id, upTo: s.count, bytes, final };
  (self as unknown as Worker).postMessage(m, [bytes.buffer]);
};

self.onmessage = (e: MessageEvent<ToWorker>) => {
  const m = e.data;
  if (m.drop) return void streams.delete(m.id);
  let s = streams.get(m.id);
  if (!s) streams.set(m.id, (s = { out: [], count: 0, size: 0 }));
  if (m.text !== undefined) {
    const out = s.out;
    s.gz ??= new Gzip({ level: REPLAY_GZIP_LEVEL }, (chunk) => chunk.length && out.push(chunk));
    const bytes = encoder.encode(m.text);
    s.gz.push(bytes);
    s.size += bytes.length;
    s.count++;
    if (s.size >= REPLAY_WORKER_MEMBER_BYTES && !m.end) post(m.id, s, false);
  }
  if (m.end) {
    streams.delete(m.id);
    post(m.id, s, true);
  }
};
