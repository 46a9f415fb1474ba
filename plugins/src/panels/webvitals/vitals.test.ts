import { createDataFrame, FieldType } from '@grafana/data';
import { WEB_VITAL_THRESHOLDS } from '@otel-rum/model';
import { formatVital, percentile, vitalsTable, VitalsFrameError } from './vitals';

const events = (rows: Array<[string, number | null, string]>, nextCursor: string | null = null) =>
  createDataFrame({
    fields: [
      { name: 'name', type: FieldType.string, values: rows.map(() => 'browser.web_vital') },
      { name: 'type', type: FieldType.string, values: rows.map((r) => r[0]) },
      { name: 'value', type: FieldType.number, values: rows.map((r) => r[1]) },
      { name: 'path', type: FieldType.string, values: rows.map((r) => r[2]) },
    ],
    meta: { custom: { nextCursor } },
  });

it('takes the nearest-rank percentile', () => {
  expect(percentile([1, 2, 3, 4], 75)).toBe(3);
  expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 75)).toBe(8);
  expect(percentile([5], 99)).toBe(5);
  expect(percentile([], 75)).toBeNaN();
});

it('rates each group against the model thresholds and counts the share of page views per band', () => {
  const [good, poor] = WEB_VITAL_THRESHOLDS.lcp;
  const t = vitalsTable(
    [
      events([
        ['lcp', good - 100, '/'],
        ['lcp', good + 100, '/'],
        ['LCP', poor + 100, '/'],
        ['lcp', poor + 500, '/'],
        ['cls', 0.05, '/cart'],
        ['inp', null, '/cart'],
        ['lcp', 100, '/cart'],
      ]),
    ],
    { percentile: 75, groupBy: 'path', vitals: ['lcp', 'cls'] },
  );
  expect(t.measurements).toBe(6);
  const home = t.groups.find((g) => g.group === '/')!;
  expect(home.vitals.lcp).toEqual({
    value: poor + 100,
    rating: 'poor',
    count: 4,
    shares: { good: 0.25, 'needs-improvement': 0.25, poor: 0.5 },
  });
  const cart = t.groups.find((g) => g.group === '/cart')!;
  expect(cart.vitals.cls?.rating).toBe('good');
  expect(cart.vitals.inp).toBeUndefined();
  expect(t.total.vitals.lcp?.count).toBe(5);
  expect(t.groups[0]!.group).toBe('/');
  expect(t.sampled).toBe(false);
});

it('says when the events are one page of more, and names what it cannot read', () => {
  expect(
    vitalsTable([events([['lcp', 1, '/']], 'next')], { percentile: 75, groupBy: 'path', vitals: ['lcp'] })
      .sampled,
  ).toBe(true);
  expect(() =>
    vitalsTable([events([['lcp', 1, '/']])], { percentile: 75, groupBy: 'browser', vitals: ['lcp'] }),
  ).toThrow('no field "browser"');
  const series = createDataFrame({ fields: [{ name: 'time', type: FieldType.time, values: [1] }] });
  expect(() => vitalsTable([series], { percentile: 75, groupBy: '', vitals: ['lcp'] })).toThrow(
    VitalsFrameError,
  );
  expect(() => vitalsTable([], { percentile: 0, groupBy: '', vitals: ['lcp'] })).toThrow('percentile');
});

it('formats milliseconds, seconds and CLS', () => {
  expect(formatVital('lcp', 850.4)).toBe('850 ms');
  expect(formatVital('lcp', 2512)).toBe('2.51 s');
  expect(formatVital('cls', 0.1234)).toBe('0.123');
});
