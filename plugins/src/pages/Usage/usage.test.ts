import { costEstimate, monthCost, tiersProblem, usageTable, type CostTier } from './usage';

const day = (appId: string, d: string, pageViews: number) => ({
  appId,
  day: d,
  pageViews,
  sessions: 1,
  replayMinutes: 0.5,
});
const TIERS: CostTier[] = [
  { upTo: 10_000, pricePer1000: 0 },
  { upTo: 100_000, pricePer1000: 1 },
  { upTo: null, pricePer1000: 0.5 },
];

describe('usage', () => {
  it('lays days out per application with totals', () => {
    const t = usageTable([
      day('shop', '2026-11-02', 5),
      day('blog', '2026-11-01', 2),
      day('shop', '2026-11-01', 3),
    ]);
    expect(t.apps).toEqual(['blog', 'shop']);
    expect(t.rows).toEqual([
      { day: '2026-11-01', pageViews: [2, 3] },
      { day: '2026-11-02', pageViews: [0, 5] },
    ]);
    expect(t.totals[1]).toEqual({ appId: 'shop', pageViews: 8, sessions: 2, replayMinutes: 1 });
  });

  it('prices a month by graduated tiers', () => {
    expect(monthCost(5_000, TIERS)).toBe(0);
    expect(monthCost(50_000, TIERS)).toBe(40);
    expect(monthCost(300_000, TIERS)).toBe(90 + 100);
  });

  it('prices each month apart and shares it among applications by page views', () => {
    const e = costEstimate(
      [
        day('shop', '2026-10-31', 30_000),
        day('blog', '2026-10-30', 30_000),
        day('shop', '2026-11-01', 20_000),
      ],
      TIERS,
    );
    expect(e.perMonth).toEqual([
      { month: '2026-10', pageViews: 60_000, cost: 50 },
      { month: '2026-11', pageViews: 20_000, cost: 10 },
    ]);
    expect(e.total).toBe(60);
    expect(e.byApp.get('shop')).toBe(35);
    expect(e.byApp.get('blog')).toBe(25);
  });

  it('names what is wrong with tiers', () => {
    expect(tiersProblem(TIERS)).toBeUndefined();
    expect(tiersProblem([])).toBe('Add at least one tier');
    expect(tiersProblem([{ upTo: 10, pricePer1000: 1 }])).toBe(
      'Tier 1: the last tier has no upper bound (leave "up to" empty)',
    );
    expect(
      tiersProblem([
        { upTo: 10, pricePer1000: 1 },
        { upTo: 5, pricePer1000: 1 },
        { upTo: null, pricePer1000: 1 },
      ]),
    ).toBe(`Tier 2: "up to" (5) must be above the previous tier's (10)`);
    expect(tiersProblem([{ upTo: null, pricePer1000: NaN }])).toBe(
      'Tier 1: the price per 1,000 page views must be a number of at least 0',
    );
    expect(
      tiersProblem([
        { upTo: null, pricePer1000: 1 },
        { upTo: null, pricePer1000: 1 },
      ]),
    ).toBe('Tier 1: "up to" must be a whole number of page views');
  });
});
