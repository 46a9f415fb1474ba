/*
 * The rows of the timeline panel from the data source's frames: Events frames of any kind (time,
 * duration, kind, name, label, trace...) and the Session timeline's logs frame (timestamp, body,
 * severity, labels), merged on one time axis.
 */
import type { DataFrame, Field, LinkModel } from '@grafana/data';
import { EVENT_KINDS } from '@otel-rum/model';

export interface TimelineEvent {
  time: number;
  /** Milliseconds; 0 for instants (errors, vitals, events without a duration). */
  duration: number;
  kind: string;
  text: string;
  error: boolean;
  trace?: string;
  traceLink?: LinkModel;
}

const field = (f: DataFrame, name: string): Field | undefined => f.fields.find((x) => x.name === name);

function text(kind: string, at: (n: string) => unknown): string {
  const s = (n: string) => {
    const v = at(n);
    return v === null || v === undefined ? '' : String(v);
  };
  switch (kind) {
    case 'view':
      return s('path') || s('url') || s('label');
    case 'resource':
      return [s('type'), s('url') || s('path'), s('status')].filter(Boolean).join(' ');
    case 'error':
      return [s('type'), s('label')].filter(Boolean).join(': ');
    case 'web_vital':
      return `${(s('type') || s('label')).toUpperCase()} ${s('value')}`;
    default:
      return [s('type'), s('label')].filter(Boolean).join(' ');
  }
}

/** Reads every frame it understands; returns events sorted by time, and how many frames it could not read. */
export function timelineEvents(frames: readonly DataFrame[]): {
  events: TimelineEvent[];
  unreadable: number;
} {
  const events: TimelineEvent[] = [];
  let unreadable = 0;
  for (const f of frames) {
    if (!f.length) continue;
    const time = field(f, 'time');
    const ts = field(f, 'timestamp');
    if (time && field(f, 'kind')) {
      const kind = field(f, 'kind')!;
      const duration = field(f, 'duration');
      const trace = field(f, 'trace');
      for (let i = 0; i < f.length; i++) {
        const k = String(kind.values[i]);
        const t = trace?.values[i] as string | null | undefined;
        events.push({
          time: Number(time.values[i]),
          duration: Number(duration?.values[i] ?? 0) || 0,
          kind: k,
          text: text(k, (n) => field(f, n)?.values[i]),
          error: k === 'error' || (k === 'resource' && Number(field(f, 'status')?.values[i] ?? 0) >= 400),
          trace: t || undefined,
          traceLink: t ? trace?.getLinks?.({ valueRowIndex: i })[0] : undefined,
        });
      }
    } else if (ts && field(f, 'body')) {
      const body = field(f, 'body')!;
      const labels = field(f, 'labels');
      const severity = field(f, 'severity');
      for (let i = 0; i < f.length; i++) {
        const l = (labels?.values[i] ?? {}) as Record<string, string>;
        const m = /\((\d+(?:\.\d+)?) ms\)$/.exec(String(body.values[i]));
        events.push({
          time: Number(ts.values[i]),
          duration: m ? Number(m[1]) : 0,
          kind: l.kind ?? 'event',
          text: String(body.values[i]),
          error: severity?.values[i] === 'error',
          trace: l.trace || undefined,
        });
      }
    } else unreadable++;
  }
  events.sort((a, b) => a.time - b.time || b.duration - a.duration);
  return { events, unreadable };
}

/** Kinds the panel can show, in the model's order. */
export const TIMELINE_KINDS = EVENT_KINDS.filter((k) => k !== 'session' && k !== 'replay_segment');
