import { errorSpikes, MIN_SPIKE_ERRORS, newVersions } from './annotations';

const t = (min: number) => new Date(Date.UTC(2026, 11, 1, 10, min)).toISOString();

describe('annotations', () => {
  it('marks versions with no events before the range, at their first bucket', () => {
    const a = newVersions(
      { field: 'version', values: [{ value: '1.0', count: 50 }] },
      {
        aggregation: 'count',
        field: null,
        intervalS: 60,
        series: [
          { group: { version: '1.0' }, points: [[t(0), 5]] },
          {
            group: { version: '1.1' },
            points: [
              [t(3), 2],
              [t(4), 9],
            ],
          },
        ],
      },
    );
    expect(a).toEqual([
      {
        time: Date.parse(t(3)),
        title: 'Version 1.1 first seen',
        text: '2 events of version 1.1 in its first 60 s',
        tags: ['version', '1.1'],
      },
    ]);
  });

  it('marks runs of buckets far above the median, with empty buckets counted', () => {
    const from = Date.parse(t(0));
    const points: Array<[string, number]> = [
      [t(1), 1],
      [t(2), 2],
      [t(5), 12],
      [t(6), 20],
      [t(9), 1],
    ];
    const spikes = errorSpikes(
      { aggregation: 'count', field: null, intervalS: 60, series: [{ group: {}, points }] },
      from,
      from + 10 * 60_000,
    );
    expect(spikes).toHaveLength(1);
    expect(spikes[0]).toMatchObject({
      time: Date.parse(t(5)),
      timeEnd: Date.parse(t(7)),
      title: 'Error spike',
    });
    expect(spikes[0]!.text).toContain('32 errors (peak 20');
    const small = errorSpikes(
      {
        aggregation: 'count',
        field: null,
        intervalS: 60,
        series: [{ group: {}, points: [[t(1), MIN_SPIKE_ERRORS - 1]] }],
      },
      from,
      from + 600_000,
    );
    expect(small).toEqual([]);
  });
});
