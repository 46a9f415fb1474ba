/*
 * Annotation queries: when a new application version was first seen, and when errors spiked.
 */
import { createDataFrame, FieldType, type DataFrame } from '@grafana/data';
import { MAX_FACET_VALUES } from '@otel-rum/model';
import type { AggregateAnswer, FacetAnswer } from './frames/types';

/** A bucket is a spike when it holds at least this many errors... */
export const MIN_SPIKE_ERRORS = 5;
/** ...and at least this many times the median bucket of the range (empty buckets count as zero). */
export const SPIKE_FACTOR = 3;

export interface Annotation {
  time: number;
  timeEnd?: number;
  title: string;
  text: string;
  tags: string[];
}

/** Versions with events in the range but none before it, at the first bucket holding one. */
export function newVersions(before: FacetAnswer, during: AggregateAnswer): Annotation[] {
  const known = new Set(before.values.map((v) => String(v.value)));
  const out: Annotation[] = [];
  for (const s of during.series) {
    const version = s.group.version;
    if (version === null || version === undefined || version === '' || known.has(String(version))) continue;
    const first = s.points.find((p) => p[1] > 0);
    if (!first) continue;
    out.push({
      time: Date.parse(first[0]),
      title: `Version ${version} first seen`,
      text: `${first[1]} event${first[1] === 1 ? '' : 's'} of version ${version} in its first ${during.intervalS} s`,
      tags: ['version', String(version)],
    });
  }
  if (before.values.length >= MAX_FACET_VALUES) {
    // More versions existed before than one facet lists: an old one may be taken for new.
    for (const a of out) a.text += ` (the ${MAX_FACET_VALUES} most frequent earlier versions were checked)`;
  }
  return out.sort((a, b) => a.time - b.time);
}

function median(values: number[]): number {
  if (!values.length) return 0;
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Runs of buckets far above the range's median error count, one region each. */
export function errorSpikes(answer: AggregateAnswer, fromMs: number, toMs: number): Annotation[] {
  const points = answer.series[0]?.points ?? [];
  const stepMs = answer.intervalS * 1000;
  const buckets = Math.max(1, Math.ceil((toMs - fromMs) / stepMs));
  const counts = points.map((p) => p[1]);
  const all = [...counts, ...new Array(Math.max(0, buckets - counts.length)).fill(0)];
  const threshold = Math.max(MIN_SPIKE_ERRORS, SPIKE_FACTOR * median(all));
  const out: Annotation[] = [];
  let run: { start: number; end: number; total: number; peak: number } | null = null;
  const close = () => {
    if (!run) return;
    out.push({
      time: run.start,
      timeEnd: run.end,
      title: 'Error spike',
      text: `${run.total} errors (peak ${run.peak} per ${answer.intervalS} s; median ${median(all)})`,
      tags: ['errors', 'spike'],
    });
    run = null;
  };
  for (const [iso, v] of points) {
    const t = Date.parse(iso);
    if (v >= threshold) {
      if (run && t <= run.end) {
        run.end = t + stepMs;
        run.total += v;
        run.peak = Math.max(run.peak, v);
      } else {
        close();
        run = { start: t, end: t + stepMs, total: v, peak: v };
      }
    } else close();
  }
  close();
  return out;
}

export function annotationFrame(refId: string, annotations: Annotation[]): DataFrame {
  return createDataFrame({
    refId,
    name: 'annotations',
    fields: [
      { name: 'time', type: FieldType.time, values: annotations.map((a) => a.time) },
      { name: 'timeEnd', type: FieldType.time, values: annotations.map((a) => a.timeEnd ?? a.time) },
      { name: 'title', type: FieldType.string, values: annotations.map((a) => a.title) },
      { name: 'text', type: FieldType.string, values: annotations.map((a) => a.text) },
      { name: 'tags', type: FieldType.other, values: annotations.map((a) => a.tags) },
    ],
  });
}
