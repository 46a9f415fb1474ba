import { FieldType } from '@grafana/data';
import { aggregateFrames, aggregateUnit, eventsFrame, timelineFrame, traceFrame } from './frames';
import type { EventItem, SpanItem } from './types';

const event = (over: Partial<EventItem>): EventItem => ({
  id: 'e1',
  kind: 'view',
  time: '2026-12-01T10:00:00.000Z',
  appId: 'shop',
  sessionId: 's1',
  viewId: 'v1',
  traceId: null,
  spanId: null,
  name: 'view',
  label: null,
  url: 'https://shop.example/cart',
  path: '/cart',
  durationMs: 120,
  value: null,
  status: null,
  serviceName: 'web',
  serviceVersion: '1.0',
  environment: 'prod',
  userId: null,
  source: 'otel-rum',
  type: null,
  fingerprint: null,
  browser: 'Chrome',
  browserVersion: '130',
  os: 'Linux',
  device: 'desktop',
  country: 'DE',
  attributes: {},
  ...over,
});

describe('frames', () => {
  it('types and units event fields, and gives web vitals ms unless CLS is among them', () => {
    const vitals = eventsFrame(
      {
        items: [event({ kind: 'web_vital', name: 'browser.web_vital', type: 'lcp', value: 2400 })],
        nextCursor: 'next',
      },
      'web_vital',
      { refId: 'A' },
    );
    const f = (n: string) => vitals.fields.find((x) => x.name === n)!;
    expect(f('time').type).toBe(FieldType.time);
    expect(f('time').values[0]).toBe(Date.parse('2026-12-01T10:00:00.000Z'));
    expect(f('duration').config.unit).toBe('ms');
    expect(f('value').config.unit).toBe('ms');
    expect(vitals.meta?.custom).toEqual({ nextCursor: 'next' });
    const cls = eventsFrame(
      {
        items: [event({ kind: 'web_vital', name: 'browser.web_vital', type: 'cls', value: 0.1 })],
        nextCursor: null,
      },
      'web_vital',
      { refId: 'A' },
    );
    expect(cls.fields.find((x) => x.name === 'value')!.config.unit).toBeUndefined();
  });

  it('links trace ids to Tempo when one is configured', () => {
    const frame = eventsFrame({ items: [event({ traceId: 'a'.repeat(32) })], nextCursor: null }, 'resource', {
      refId: 'A',
      traceTarget: { datasourceUid: 'tempo', datasourceName: 'Tempo', self: false },
    });
    const link = frame.fields.find((x) => x.name === 'trace')!.config.links![0]!;
    expect(link.internal).toEqual({
      datasourceUid: 'tempo',
      datasourceName: 'Tempo',
      query: { queryType: 'traceql', query: '${__value.raw}' },
    });
  });

  it('gives aggregates units and one named frame per group, and an empty series frame without data', () => {
    expect(aggregateUnit('count', null)).toBe('short');
    expect(aggregateUnit('rate', null)).toBe('cps');
    expect(aggregateUnit('p75', 'duration')).toBe('ms');
    const frames = aggregateFrames(
      {
        aggregation: 'p75',
        field: 'duration',
        intervalS: 60,
        series: [{ group: { browser: 'Chrome', version: null }, points: [['2026-12-01T10:00:00.000Z', 12]] }],
      },
      { refId: 'A' },
    );
    expect(frames[0]!.name).toBe('Chrome / (none)');
    expect(frames[0]!.fields[1]!.labels).toEqual({ browser: 'Chrome', version: '' });
    expect(frames[0]!.fields[1]!.config.interval).toBe(60_000);
    const empty = aggregateFrames(
      { aggregation: 'count', field: null, intervalS: 60, series: [] },
      { refId: 'A' },
    );
    expect(empty).toHaveLength(1);
    expect(empty[0]!.length).toBe(0);
  });

  it('tells a session as log lines with levels', () => {
    const frame = timelineFrame(
      [
        event({}),
        event({ kind: 'error', type: 'TypeError', label: 'x is undefined' }),
        event({ kind: 'resource', type: 'fetch', status: 503, url: '/api' }),
        event({ kind: 'web_vital', name: 'browser.web_vital', type: 'cls', value: 0.05 }),
      ],
      { refId: 'A' },
    );
    expect(frame.fields.find((x) => x.name === 'body')!.values).toEqual([
      'view /cart (120 ms)',
      'TypeError: x is undefined',
      'fetch /api 503 (120 ms)',
      'CLS 0.05',
    ]);
    expect(frame.fields.find((x) => x.name === 'severity')!.values).toEqual([
      'info',
      'error',
      'warning',
      'info',
    ]);
  });

  it('shapes spans as Grafana trace rows', () => {
    const span: SpanItem = {
      traceId: 't',
      spanId: 's2',
      parentSpanId: 's1',
      name: 'GET /api',
      kind: 2,
      start: '2026-12-01T10:00:00.000Z',
      durationMs: 5,
      statusCode: 2,
      statusMessage: 'boom',
      serviceName: 'api',
      appId: null,
      sessionId: null,
      scopeName: 'http',
      attributes: { 'http.route': '/api' },
      events: [{ timeUs: '1764583200001000', name: 'exception', attributes: { 'exception.type': 'Error' } }],
    };
    const frame = traceFrame('t', [span], { refId: 'A' });
    const v = (n: string) => frame.fields.find((x) => x.name === n)!.values[0];
    expect(v('kind')).toBe('server');
    expect(v('statusCode')).toBe(2);
    expect(v('tags')).toEqual([
      { key: 'http.route', value: '/api' },
      { key: 'otel.scope.name', value: 'http' },
    ]);
    expect(v('logs')).toEqual([
      { timestamp: 1764583200001, name: 'exception', fields: [{ key: 'exception.type', value: 'Error' }] },
    ]);
  });
});
