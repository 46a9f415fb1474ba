import type { IssueFrame } from '@otel-rum/model';
import { frameText, inAppFirst, occurrenceBuckets } from './IssuePage';

describe('inAppFirst', () => {
  it('puts the application frames before library ones, keeping their order, and writes each as a stack line', () => {
    const frame = (fn: string | null, file: string | null, inApp: boolean): IssueFrame => ({
      function: fn,
      file,
      line: file ? 10 : null,
      column: file ? 5 : null,
      inApp,
    });
    const frames = [
      frame('lib', 'https://shop.example.com/node_modules/react-dom/index.js', false),
      frame('total', 'https://shop.example.com/src/cart.ts', true),
      frame(null, 'https://shop.example.com/src/app.ts', true),
      frame('Array.map', null, false),
      { function: null, file: null, line: 2, column: 13, inApp: false },
    ];
    expect(inAppFirst(frames).map(frameText)).toEqual([
      'total (https://shop.example.com/src/cart.ts:10:5)',
      'https://shop.example.com/src/app.ts:10:5',
      'lib (https://shop.example.com/node_modules/react-dom/index.js:10:5)',
      'Array.map (native)',
      '<anonymous>:2:13',
    ]);
  });
});

describe('occurrenceBuckets', () => {
  it('counts occurrences per whole minute, hour or day from the first to the last', () => {
    const t = Date.parse('2026-12-04T10:00:30Z');
    const iso = (ms: number) => new Date(ms).toISOString();
    expect(occurrenceBuckets([iso(t), iso(t + 10_000), iso(t + 125_000)]).map((b) => b.count)).toEqual([
      2, 0, 1,
    ]);
    expect(occurrenceBuckets([iso(t), iso(t + 5 * 3_600_000)])).toHaveLength(6);
    expect(occurrenceBuckets([])).toEqual([]);
  });
});
