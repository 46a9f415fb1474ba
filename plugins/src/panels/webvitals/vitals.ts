/*
 * What the web vitals panel shows, computed from web vital events (the data source's Events query,
 * kind Web vitals): per group (page, browser, any field) and per vital, a percentile of the values
 * and the share of measurements in each rating band. Bands are the model's, as the SDK rates.
 */
import { FieldType, type DataFrame, type Field } from '@grafana/data';
import { WEB_VITAL_NAMES, webVitalRating, type WebVitalName, type WebVitalRating } from '@otel-rum/model';

export const RATINGS: readonly WebVitalRating[] = ['good', 'needs-improvement', 'poor'];

export interface VitalSummary {
  /** The chosen percentile of the values (nearest rank). */
  value: number;
  rating: WebVitalRating;
  count: number;
  /** Share of measurements (one per page view and vital) in each band, 0..1. */
  shares: Record<WebVitalRating, number>;
}

export interface GroupSummary {
  group: string;
  count: number;
  vitals: Partial<Record<WebVitalName, VitalSummary>>;
}

export interface VitalsTable {
  /** Every measurement together, then one row per group, busiest first. */
  total: GroupSummary;
  groups: GroupSummary[];
  /** True when a frame says more rows exist than it holds: the figures are of a sample. */
  sampled: boolean;
  measurements: number;
}

/** A frame this panel cannot read: it says which fields it lacks. */
export class VitalsFrameError extends Error {}

/** Nearest-rank percentile: the smallest value with at least p % of the values at or below it. */
export function percentile(sorted: readonly number[], p: number): number {
  if (!sorted.length) return NaN;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1]!;
}

function summarize(name: WebVitalName, values: number[], p: number): VitalSummary {
  const sorted = [...values].sort((a, b) => a - b);
  const counts: Record<WebVitalRating, number> = { good: 0, 'needs-improvement': 0, poor: 0 };
  for (const v of sorted) counts[webVitalRating(name, v)]++;
  const value = percentile(sorted, p);
  return {
    value,
    rating: webVitalRating(name, value),
    count: sorted.length,
    shares: {
      good: counts.good / sorted.length,
      'needs-improvement': counts['needs-improvement'] / sorted.length,
      poor: counts.poor / sorted.length,
    },
  };
}

const byName = (frame: DataFrame, name: string): Field | undefined =>
  frame.fields.find((f) => f.name === name) ?? frame.fields.find((f) => f.config.displayName === name);

function asVital(raw: unknown): WebVitalName | undefined {
  const n = String(raw ?? '').toLowerCase();
  return (WEB_VITAL_NAMES as readonly string[]).includes(n) ? (n as WebVitalName) : undefined;
}

export function vitalsTable(
  frames: readonly DataFrame[],
  opts: { percentile: number; groupBy: string; vitals: readonly WebVitalName[] },
): VitalsTable {
  if (!(opts.percentile > 0 && opts.percentile <= 100))
    throw new VitalsFrameError(`the percentile must be above 0 and at most 100, got ${opts.percentile}`);
  const values = new Map<string, Map<WebVitalName, number[]>>();
  const all = new Map<WebVitalName, number[]>();
  let sampled = false;
  let measurements = 0;
  let readable = 0;
  for (const frame of frames) {
    if (!frame.length) continue;
    // The server gives a web vital's name (lcp, inp...) as its type and label; its event name is browser.web_vital.
    const names = ['type', 'label', 'name'].map((n) => byName(frame, n)).filter((f): f is Field => !!f);
    const value = byName(frame, 'value');
    if (!names.length || !value || value.type !== FieldType.number) continue;
    readable++;
    const group = opts.groupBy ? byName(frame, opts.groupBy) : undefined;
    if (opts.groupBy && !group)
      throw new VitalsFrameError(
        `the events have no field "${opts.groupBy}" to group by; fields: ${frame.fields.map((f) => f.name).join(', ')}`,
      );
    if ((frame.meta?.custom as { nextCursor?: unknown } | undefined)?.nextCursor) sampled = true;
    for (let i = 0; i < frame.length; i++) {
      const vital = names.map((f) => asVital(f.values[i])).find(Boolean);
      const v = value.values[i] as number | null;
      if (!vital || !opts.vitals.includes(vital) || v === null || v === undefined || !Number.isFinite(v))
        continue;
      const g = group ? String(group.values[i] ?? '(none)') : '';
      if (!values.has(g)) values.set(g, new Map());
      const per = values.get(g)!;
      if (!per.has(vital)) per.set(vital, []);
      per.get(vital)!.push(v);
      if (!all.has(vital)) all.set(vital, []);
      all.get(vital)!.push(v);
      measurements++;
    }
  }
  if (!readable && frames.some((f) => f.length > 0))
    throw new VitalsFrameError(
      'this panel reads web vital events: use the otel-rum query type Events with the kind Web vitals',
    );
  const row = (group: string, per: Map<WebVitalName, number[]>): GroupSummary => {
    const vitals: GroupSummary['vitals'] = {};
    let count = 0;
    for (const [name, vs] of per) {
      vitals[name] = summarize(name, vs, opts.percentile);
      count += vs.length;
    }
    return { group, count, vitals };
  };
  const groups = [...values].map(([g, per]) => row(g, per)).sort((a, b) => b.count - a.count);
  return { total: row('All', all), groups: opts.groupBy ? groups : [], sampled, measurements };
}

/** A value as people read it: seconds above one, milliseconds below, CLS with 3 decimals. */
export function formatVital(name: WebVitalName, value: number): string {
  if (!Number.isFinite(value)) return '–';
  if (name === 'cls') return value.toFixed(3);
  return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${Math.round(value)} ms`;
}
