import { gunzipSync } from 'node:zlib';
import { gzipSync } from 'fflate';
import { REPLAY_REQUEST_GZIP_MAX_BYTES } from '@otel-rum/model';
import { finishGzip, gzipRequest } from './gzipSplice';

const enc = new TextEncoder();

describe('finishing a segment compressed in the worker on the page', () => {
  it('makes one gzip stream that inflates to the members and the tail in order', () => {
    const rows = Array.from({ length: 400 }, (_, i) => `${i ? ',' : '['}{"type":3,"text":"row ${i} ✓"}`);
    const members = [
      gzipSync(enc.encode(rows.slice(0, 200).join(''))),
      gzipSync(enc.encode(rows.slice(200).join(''))),
    ];
    const out = finishGzip(members, enc.encode(',{"type":3,"text":"the last change"}]'));
    const events = JSON.parse(gunzipSync(out).toString('utf8')) as { text: string }[];
    expect(events).toHaveLength(401);
    expect(events[400]!.text).toBe('the last change');
  });

  it('gzips everything on the page when the worker gave nothing back yet', () => {
    expect(gunzipSync(finishGzip([], enc.encode('[1,2,3]'))).toString('utf8')).toBe('[1,2,3]');
  });
});

describe('a whole replay request as gzip', () => {
  it('compresses a request up to REPLAY_REQUEST_GZIP_MAX_BYTES and stores a larger one, both plain gzip', () => {
    const small = enc.encode('rum.replay.sequence '.repeat(100));
    const packed = gzipRequest(small);
    expect(packed.length).toBeLessThan(small.length / 4);
    expect(Buffer.compare(gunzipSync(packed), Buffer.from(small))).toBe(0);
    // Incompressible bytes past the bound: stored, a few bytes of framing per 64 KiB and no more.
    const large = new Uint8Array(REPLAY_REQUEST_GZIP_MAX_BYTES * 3).map((_, i) => (i * 7919) % 251);
    const stored = gzipRequest(large);
    expect(stored.length).toBeGreaterThan(large.length);
    expect(stored.length).toBeLessThan(large.length + 64);
    expect(Buffer.compare(gunzipSync(stored), Buffer.from(large))).toBe(0);
  });
});
