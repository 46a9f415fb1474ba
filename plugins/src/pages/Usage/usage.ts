/*
 * Usage (GET /api/v1/usage: page views, sessions and replay minutes per application and UTC day, the
 * billing unit being page views) and the cost estimate from the tiers the admin keeps in the app's
 * jsonData (`usageTiers`): graduated per calendar month, like most usage-based prices.
 */

export interface UsageDay {
  appId: string;
  day: string;
  pageViews: number;
  sessions: number;
  replayMinutes: number;
}

/** One price tier: page views of a month up to `upTo` (the last tier: null, no bound) cost `pricePer1000`. */
export interface CostTier {
  upTo: number | null;
  pricePer1000: number;
}

/** Days in rows, applications in columns, with each application's totals. */
export function usageTable(items: UsageDay[]) {
  const apps = [...new Set(items.map((i) => i.appId))].sort();
  const days = [...new Set(items.map((i) => i.day))].sort();
  const cell = new Map(items.map((i) => [`${i.day}/${i.appId}`, i]));
  const totals = apps.map((appId) => {
    const mine = items.filter((i) => i.appId === appId);
    return {
      appId,
      pageViews: mine.reduce((a, i) => a + i.pageViews, 0),
      sessions: mine.reduce((a, i) => a + i.sessions, 0),
      replayMinutes: mine.reduce((a, i) => a + i.replayMinutes, 0),
    };
  });
  return {
    apps,
    rows: days.map((day) => ({ day, pageViews: apps.map((a) => cell.get(`${day}/${a}`)?.pageViews ?? 0) })),
    totals,
  };
}

/** What is wrong with a tier list, or undefined: bounds rising, the last one open, prices not negative. */
export function tiersProblem(tiers: CostTier[]): string | undefined {
  if (!tiers.length) return 'Add at least one tier';
  for (const [i, t] of tiers.entries()) {
    const n = i + 1;
    if (!Number.isFinite(t.pricePer1000) || t.pricePer1000 < 0)
      return `Tier ${n}: the price per 1,000 page views must be a number of at least 0`;
    const last = i === tiers.length - 1;
    if (last && t.upTo !== null) return `Tier ${n}: the last tier has no upper bound (leave "up to" empty)`;
    if (!last && (t.upTo === null || !Number.isInteger(t.upTo) || t.upTo <= 0))
      return `Tier ${n}: "up to" must be a whole number of page views`;
    const before = i > 0 ? tiers[i - 1]!.upTo : 0;
    if (!last && before !== null && (t.upTo as number) <= before)
      return `Tier ${n}: "up to" (${t.upTo}) must be above the previous tier's (${before})`;
  }
  return undefined;
}

/** The price of one month's page views under graduated tiers. */
export function monthCost(pageViews: number, tiers: CostTier[]): number {
  let cost = 0;
  let floor = 0;
  for (const t of tiers) {
    const ceiling = t.upTo ?? Infinity;
    const inTier = Math.max(0, Math.min(pageViews, ceiling) - floor);
    cost += (inTier / 1000) * t.pricePer1000;
    floor = ceiling;
    if (pageViews <= ceiling) break;
  }
  return cost;
}

/**
 * The estimate over the days shown: each calendar month's page views (all applications, as a bill
 * counts them) priced by the tiers, and each application's share of it by its page views.
 */
export function costEstimate(items: UsageDay[], tiers: CostTier[]) {
  const months = new Map<string, number>();
  for (const i of items) months.set(i.day.slice(0, 7), (months.get(i.day.slice(0, 7)) ?? 0) + i.pageViews);
  const perMonth = [...months.entries()]
    .sort()
    .map(([month, pageViews]) => ({ month, pageViews, cost: monthCost(pageViews, tiers) }));
  const total = perMonth.reduce((a, m) => a + m.cost, 0);
  const byApp = new Map<string, number>();
  for (const i of items) {
    const m = months.get(i.day.slice(0, 7))!;
    const share = m ? i.pageViews / m : 0;
    byApp.set(i.appId, (byApp.get(i.appId) ?? 0) + share * monthCost(m, tiers));
  }
  return { perMonth, total, byApp };
}
