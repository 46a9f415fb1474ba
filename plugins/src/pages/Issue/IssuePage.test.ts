import { occurrenceBuckets, parseStack } from './IssuePage';

describe('parseStack', () => {
  it('puts the application frames before library ones, keeping their order', () => {
    const stack = [
      'TypeError: x is undefined',
      '    at lib (https://shop.example.com/node_modules/react-dom/index.js:1:2)',
      '    at total (https://shop.example.com/src/cart.ts:10:5)',
      '    at render (https://shop.example.com/src/app.ts:3:1)',
    ].join('\n');
    expect(parseStack(stack).map((f) => [f.inApp, f.text.split(' ')[1]])).toEqual([
      [true, 'total'],
      [true, 'render'],
      [false, 'lib'],
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
