import { gunzipSync } from 'node:zlib';
import { gzipSync } from 'fflate';
import { finishGzip } from './gzipSplice';

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
