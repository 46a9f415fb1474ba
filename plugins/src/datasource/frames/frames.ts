/*
 * The server's answers as Grafana data frames: the field types, units, display names and data links
 * that Grafana's own table, time series, logs, trace and bar chart panels expect.
 */
import {
  createDataFrame,
  DataFrameType,
  FieldType,
  type DataFrame,
  type DataLink,
  type FieldConfig,
} from '@grafana/data';
import { APP_ROOT, issuePageUrl } from '../../shared/links';
import type { ListKind } from '../types';
import type {
  AggregateAnswer,
  EventItem,
  FacetAnswer,
  IssueItem,
  JourneyAnalysisAnswer,
  Page,
  SessionItem,
  SpanItem,
} from './types';

/** Where a trace id leads: this data source's trace query, or a Tempo/Jaeger data source. */
export interface TraceTarget {
  datasourceUid: string;
  datasourceName: string;
  /** True when the target is this data source (its own `trace` query type). */
  self: boolean;
}

export interface FrameContext {
  refId: string;
  traceTarget?: TraceTarget;
}

type Col = {
  name: string;
  type: FieldType;
  values: unknown[];
  config?: FieldConfig;
  labels?: Record<string, string>;
};

function frame(refId: string, name: string, fields: Col[], meta: DataFrame['meta'] = {}): DataFrame {
  return createDataFrame({ refId, name, fields, meta });
}

const ms = (displayName: string): FieldConfig => ({ unit: 'ms', displayName });
const named = (displayName: string, extra: FieldConfig = {}): FieldConfig => ({ displayName, ...extra });

export function sessionLink(): DataLink {
  return {
    title: 'Open session',
    url: `${APP_ROOT}/sessions/\${__value.raw}?app_id=\${__data.fields.app}`,
  };
}

/** The data link of a trace id: internal, so Explore and panels open it in a split view. */
export function traceLink(target: TraceTarget): DataLink {
  return {
    title: target.self ? 'Open trace' : `Open trace in ${target.datasourceName}`,
    url: '',
    internal: {
      datasourceUid: target.datasourceUid,
      datasourceName: target.datasourceName,
      // Tempo reads `query` with queryType traceql; Jaeger reads `query`; ours reads traceId.
      query: target.self
        ? { queryType: 'trace', traceId: '${__value.raw}' }
        : { queryType: 'traceql', query: '${__value.raw}' },
    },
  };
}

function pageMeta(page: { nextCursor: string | null }, total: number): DataFrame['meta'] {
  return {
    preferredVisualisationType: 'table',
    custom: { nextCursor: page.nextCursor },
    notices: page.nextCursor
      ? [
          {
            severity: 'info',
            text: `Showing the first ${total} rows; raise the limit or page with the cursor for more`,
          },
        ]
      : undefined,
  };
}

export function sessionsFrame(page: Page<SessionItem>, ctx: FrameContext): DataFrame {
  const s = page.items;
  return frame(
    ctx.refId,
    'sessions',
    [
      {
        name: 'start',
        type: FieldType.time,
        values: s.map((x) => Date.parse(x.start)),
        config: named('Start'),
      },
      {
        name: 'session',
        type: FieldType.string,
        values: s.map((x) => x.sessionId),
        config: { displayName: 'Session', links: [sessionLink()] },
      },
      { name: 'app', type: FieldType.string, values: s.map((x) => x.appId), config: named('Application') },
      {
        name: 'duration',
        type: FieldType.number,
        values: s.map((x) => x.durationMs),
        config: ms('Duration'),
      },
      { name: 'views', type: FieldType.number, values: s.map((x) => x.viewCount), config: named('Views') },
      { name: 'errors', type: FieldType.number, values: s.map((x) => x.errorCount), config: named('Errors') },
      {
        name: 'actions',
        type: FieldType.number,
        values: s.map((x) => x.actionCount),
        config: named('Actions'),
      },
      {
        name: 'resources',
        type: FieldType.number,
        values: s.map((x) => x.resourceCount),
        config: named('Resources'),
      },
      { name: 'events', type: FieldType.number, values: s.map((x) => x.eventCount), config: named('Events') },
      { name: 'user', type: FieldType.string, values: s.map((x) => x.userId), config: named('User') },
      {
        name: 'first_url',
        type: FieldType.string,
        values: s.map((x) => x.firstUrl),
        config: named('First page'),
      },
      { name: 'browser', type: FieldType.string, values: s.map((x) => x.browser), config: named('Browser') },
      { name: 'os', type: FieldType.string, values: s.map((x) => x.os), config: named('OS') },
      { name: 'device', type: FieldType.string, values: s.map((x) => x.device), config: named('Device') },
      { name: 'country', type: FieldType.string, values: s.map((x) => x.country), config: named('Country') },
      {
        name: 'version',
        type: FieldType.string,
        values: s.map((x) => x.serviceVersion),
        config: named('Version'),
      },
      {
        name: 'env',
        type: FieldType.string,
        values: s.map((x) => x.environment),
        config: named('Environment'),
      },
      {
        name: 'has_replay',
        type: FieldType.boolean,
        values: s.map((x) => x.hasReplay),
        config: named('Replay'),
      },
      { name: 'end', type: FieldType.time, values: s.map((x) => Date.parse(x.end)), config: named('End') },
    ],
    pageMeta(page, s.length),
  );
}

/** A web vital's name (lcp, cls...): the server gives it as the event's type. */
function vitalName(e: EventItem): string {
  return (e.type ?? e.label ?? e.name).toUpperCase();
}

/** Web vitals are milliseconds except CLS, which has no unit. */
function valueUnit(kind: ListKind | undefined, items: EventItem[]): string | undefined {
  if (kind === 'web_vital' && items.every((e) => vitalName(e) !== 'CLS')) return 'ms';
  return undefined;
}

export function eventsFrame(page: Page<EventItem>, kind: ListKind | undefined, ctx: FrameContext): DataFrame {
  const e = page.items;
  const traceConfig: FieldConfig = {
    displayName: 'Trace',
    links: ctx.traceTarget ? [traceLink(ctx.traceTarget)] : [],
  };
  return frame(
    ctx.refId,
    kind ? `${kind} events` : 'events',
    [
      { name: 'time', type: FieldType.time, values: e.map((x) => Date.parse(x.time)), config: named('Time') },
      { name: 'kind', type: FieldType.string, values: e.map((x) => x.kind), config: named('Kind') },
      { name: 'name', type: FieldType.string, values: e.map((x) => x.name), config: named('Name') },
      {
        name: 'label',
        type: FieldType.string,
        values: e.map((x) => x.label),
        config: named(kind === 'error' ? 'Message' : 'Label'),
      },
      { name: 'type', type: FieldType.string, values: e.map((x) => x.type), config: named('Type') },
      { name: 'path', type: FieldType.string, values: e.map((x) => x.path), config: named('Path') },
      { name: 'url', type: FieldType.string, values: e.map((x) => x.url), config: named('URL') },
      {
        name: 'duration',
        type: FieldType.number,
        values: e.map((x) => x.durationMs),
        config: ms('Duration'),
      },
      {
        name: 'value',
        type: FieldType.number,
        values: e.map((x) => x.value),
        config: named('Value', { unit: valueUnit(kind, e) }),
      },
      { name: 'status', type: FieldType.number, values: e.map((x) => x.status), config: named('Status') },
      {
        name: 'session',
        type: FieldType.string,
        values: e.map((x) => x.sessionId),
        config: { displayName: 'Session', links: [sessionLink()] },
      },
      { name: 'view', type: FieldType.string, values: e.map((x) => x.viewId), config: named('View') },
      { name: 'trace', type: FieldType.string, values: e.map((x) => x.traceId), config: traceConfig },
      {
        name: 'fingerprint',
        type: FieldType.string,
        values: e.map((x) => x.fingerprint),
        config: named('Issue'),
      },
      { name: 'app', type: FieldType.string, values: e.map((x) => x.appId), config: named('Application') },
      { name: 'browser', type: FieldType.string, values: e.map((x) => x.browser), config: named('Browser') },
      { name: 'os', type: FieldType.string, values: e.map((x) => x.os), config: named('OS') },
      { name: 'device', type: FieldType.string, values: e.map((x) => x.device), config: named('Device') },
      { name: 'country', type: FieldType.string, values: e.map((x) => x.country), config: named('Country') },
      {
        name: 'version',
        type: FieldType.string,
        values: e.map((x) => x.serviceVersion),
        config: named('Version'),
      },
      {
        name: 'env',
        type: FieldType.string,
        values: e.map((x) => x.environment),
        config: named('Environment'),
      },
      { name: 'user', type: FieldType.string, values: e.map((x) => x.userId), config: named('User') },
      { name: 'id', type: FieldType.string, values: e.map((x) => x.id), config: named('Event id') },
      {
        name: 'attributes',
        type: FieldType.other,
        values: e.map((x) => x.attributes),
        config: named('Attributes'),
      },
    ],
    pageMeta(page, e.length),
  );
}

export function issuesFrame(page: Page<IssueItem>, ctx: FrameContext): DataFrame {
  const i = page.items;
  return frame(
    ctx.refId,
    'issues',
    [
      {
        name: 'last_seen',
        type: FieldType.time,
        values: i.map((x) => Date.parse(x.lastSeen)),
        config: named('Last seen'),
      },
      { name: 'type', type: FieldType.string, values: i.map((x) => x.type), config: named('Type') },
      { name: 'message', type: FieldType.string, values: i.map((x) => x.message), config: named('Message') },
      {
        name: 'status',
        type: FieldType.string,
        values: i.map((x) => (x.regressed ? `${x.status} (regressed)` : x.status)),
        config: named('Status'),
      },
      { name: 'count', type: FieldType.number, values: i.map((x) => x.count), config: named('Occurrences') },
      {
        name: 'sessions',
        type: FieldType.number,
        values: i.map((x) => x.sessions),
        config: named('Sessions'),
      },
      {
        name: 'first_seen',
        type: FieldType.time,
        values: i.map((x) => Date.parse(x.firstSeen)),
        config: named('First seen'),
      },
      { name: 'app', type: FieldType.string, values: i.map((x) => x.appId), config: named('Application') },
      {
        name: 'fingerprint',
        type: FieldType.string,
        values: i.map((x) => x.fingerprint),
        config: {
          displayName: 'Issue',
          links: [{ title: 'Open issue', url: issuePageUrl('${__value.raw}', '${__data.fields.app}') }],
        },
      },
      {
        name: 'regressed',
        type: FieldType.boolean,
        values: i.map((x) => x.regressed),
        config: named('Regressed'),
      },
    ],
    pageMeta(page, i.length),
  );
}

/** Units of an aggregate's values: durations stay milliseconds, counts are plain, rates per second. */
export function aggregateUnit(aggregation: string, field: string | null | undefined): string {
  if (aggregation === 'count') return 'short';
  if (aggregation === 'rate') return 'cps';
  if (field === 'duration') return 'ms';
  return 'none';
}

function groupName(group: Record<string, unknown>): string {
  return Object.values(group)
    .map((v) => (v === null || v === undefined || v === '' ? '(none)' : String(v)))
    .join(' / ');
}

/** One frame per series, named by its group, with the group as labels; the interval in the meta. */
export function aggregateFrames(answer: AggregateAnswer, ctx: FrameContext): DataFrame[] {
  const what = answer.field ? `${answer.aggregation}(${answer.field})` : answer.aggregation;
  const unit = aggregateUnit(answer.aggregation, answer.field);
  const series = answer.series.length
    ? answer.series
    : [{ group: {}, points: [] as Array<[string, number]> }];
  return series.map((s) => {
    const name = Object.keys(s.group).length ? groupName(s.group) : what;
    const labels = Object.fromEntries(
      Object.entries(s.group).map(([k, v]) => [k, v === null ? '' : String(v)]),
    );
    return frame(
      ctx.refId,
      name,
      [
        { name: 'time', type: FieldType.time, values: s.points.map((p) => Date.parse(p[0])) },
        {
          name: what,
          type: FieldType.number,
          values: s.points.map((p) => p[1]),
          config: { unit, displayNameFromDS: name, interval: answer.intervalS * 1000 },
          labels,
        },
      ],
      {
        type: DataFrameType.TimeSeriesMulti,
        preferredVisualisationType: 'graph',
        custom: { intervalS: answer.intervalS },
      },
    );
  });
}

function eventText(e: EventItem): string {
  const dur = e.durationMs !== null ? ` (${Math.round(e.durationMs)} ms)` : '';
  switch (e.kind) {
    case 'view':
      return `view ${e.path ?? e.url ?? ''}${dur}`;
    case 'action':
      return `${e.name} ${e.label ? `"${e.label}"` : ''}${dur}`.trim();
    case 'resource':
      return `${e.type ?? e.name} ${e.url ?? ''}${e.status !== null ? ` ${e.status}` : ''}${dur}`;
    case 'error':
      return `${e.type ?? 'Error'}: ${e.label ?? e.name}`;
    case 'long_task':
      return `long task${dur}`;
    case 'web_vital':
      return `${vitalName(e)} ${e.value ?? ''}${vitalName(e) === 'CLS' ? '' : ' ms'}`;
    default:
      return `${e.kind} ${e.name} ${e.label ?? ''}`.trim();
  }
}

function severity(e: EventItem): string {
  if (e.kind === 'error') return 'error';
  if (e.kind === 'resource' && e.status !== null && (e.status >= 400 || e.status === 0)) return 'warning';
  if (e.kind === 'long_task') return 'warning';
  return 'info';
}

/** A session's events as a logs frame (Grafana's log lines shape), errors at error level. */
export function timelineFrame(items: EventItem[], ctx: FrameContext): DataFrame {
  return frame(
    ctx.refId,
    'session timeline',
    [
      { name: 'timestamp', type: FieldType.time, values: items.map((e) => Date.parse(e.time)) },
      { name: 'body', type: FieldType.string, values: items.map(eventText) },
      { name: 'severity', type: FieldType.string, values: items.map(severity) },
      { name: 'id', type: FieldType.string, values: items.map((e) => e.id) },
      {
        name: 'labels',
        type: FieldType.other,
        values: items.map((e) =>
          Object.fromEntries(
            Object.entries({ kind: e.kind, view: e.viewId, path: e.path, trace: e.traceId, status: e.status })
              .filter(([, v]) => v !== null && v !== undefined)
              .map(([k, v]) => [k, String(v)]),
          ),
        ),
      },
    ],
    { type: DataFrameType.LogLines, preferredVisualisationType: 'logs' },
  );
}

const SPAN_KINDS = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];

function tags(attrs: Record<string, unknown> | undefined): Array<{ key: string; value: unknown }> {
  return Object.entries(attrs ?? {}).map(([key, value]) => ({ key, value }));
}

/** A trace in Grafana's trace frame shape, for the trace view and Explore. */
export function traceFrame(traceId: string, spans: SpanItem[], ctx: FrameContext): DataFrame {
  const kindName = (k: number) => SPAN_KINDS[k] ?? 'unspecified';
  return frame(
    ctx.refId,
    `trace ${traceId}`,
    [
      { name: 'traceID', type: FieldType.string, values: spans.map((s) => s.traceId) },
      { name: 'spanID', type: FieldType.string, values: spans.map((s) => s.spanId) },
      { name: 'parentSpanID', type: FieldType.string, values: spans.map((s) => s.parentSpanId ?? undefined) },
      { name: 'operationName', type: FieldType.string, values: spans.map((s) => s.name) },
      {
        name: 'serviceName',
        type: FieldType.string,
        values: spans.map((s) => s.serviceName ?? s.appId ?? 'unknown'),
      },
      {
        name: 'serviceTags',
        type: FieldType.other,
        values: spans.map((s) =>
          tags({
            'service.name': s.serviceName ?? undefined,
            'rum.app.id': s.appId ?? undefined,
            'session.id': s.sessionId ?? undefined,
          }).filter((t) => t.value !== undefined),
        ),
      },
      { name: 'startTime', type: FieldType.number, values: spans.map((s) => Date.parse(s.start)) },
      { name: 'duration', type: FieldType.number, values: spans.map((s) => s.durationMs) },
      {
        name: 'logs',
        type: FieldType.other,
        values: spans.map((s) =>
          s.events.map((ev) => ({
            timestamp: ev.timeUs !== undefined ? Number(ev.timeUs) / 1000 : Date.parse(s.start),
            name: ev.name,
            fields: tags(ev.attributes),
          })),
        ),
      },
      {
        name: 'tags',
        type: FieldType.other,
        values: spans.map((s) =>
          tags({ ...s.attributes, 'otel.scope.name': s.scopeName ?? undefined }).filter(
            (t) => t.value !== undefined,
          ),
        ),
      },
      { name: 'kind', type: FieldType.string, values: spans.map((s) => kindName(s.kind)) },
      { name: 'statusCode', type: FieldType.number, values: spans.map((s) => s.statusCode) },
      {
        name: 'statusMessage',
        type: FieldType.string,
        values: spans.map((s) => s.statusMessage ?? undefined),
      },
    ],
    { preferredVisualisationType: 'trace' },
  );
}

export function facetFrame(answer: FacetAnswer, ctx: FrameContext): DataFrame {
  return frame(
    ctx.refId,
    answer.field,
    [
      {
        name: answer.field,
        type: FieldType.string,
        values: answer.values.map((v) => (v.value === null ? '(none)' : String(v.value))),
      },
      {
        name: 'count',
        type: FieldType.number,
        values: answer.values.map((v) => v.count),
        config: named('Count'),
      },
    ],
    { preferredVisualisationType: 'table' },
  );
}

function stepLabel(s: JourneyAnalysisAnswer['steps'][number]): string {
  return `${s.index}. ${s.step.type === 'view' ? `view ${s.step.path}` : `action ${s.step.name}`}`;
}

/** A journey's steps with conversion and drop-off, for a bar chart (step on the x axis). */
export function funnelFrame(answer: JourneyAnalysisAnswer, ctx: FrameContext): DataFrame {
  const s = answer.steps;
  const pct = (displayName: string): FieldConfig => ({ unit: 'percentunit', displayName, decimals: 1 });
  return frame(
    ctx.refId,
    answer.journey.name,
    [
      { name: 'step', type: FieldType.string, values: s.map(stepLabel), config: named('Step') },
      {
        name: 'sessions',
        type: FieldType.number,
        values: s.map((x) => x.sessions),
        config: named('Sessions'),
      },
      {
        name: 'conversion',
        type: FieldType.number,
        values: s.map((x) => x.conversionFromFirst),
        config: pct('Conversion from first step'),
      },
      {
        name: 'step_conversion',
        type: FieldType.number,
        values: s.map((x) => x.conversionFromPrevious),
        config: pct('Conversion from previous step'),
      },
      {
        name: 'drop_off',
        type: FieldType.number,
        values: s.map((x) => x.dropOff),
        config: named('Dropped after this step'),
      },
      {
        name: 'drop_off_rate',
        type: FieldType.number,
        values: s.map((x) => x.dropOffRate),
        config: pct('Drop-off rate'),
      },
      {
        name: 'median_time',
        type: FieldType.number,
        values: s.map((x) => x.medianMsFromPrevious),
        config: ms('Median time from previous step'),
      },
      {
        name: 'errors',
        type: FieldType.number,
        values: s.map((x) => x.errors?.count ?? 0),
        config: named('Errors at this step'),
      },
    ],
    { preferredVisualisationType: 'table', custom: { journeyId: answer.journey.id } },
  );
}
