/*
 * A user's whole footprint sent through the real OTLP endpoints, for the erasure tests of both stores
 * (server/src/privacy/erasure.http.test.ts, server/src/store/clickhouse/erasure.test.ts).
 */
import * as M from '@otel-rum/model';
import type { TestServer } from './server';

export const ERASURE_APP = 'erase';

const kv = (o: Record<string, string | number | boolean>) =>
  Object.entries(o).map(([key, v]) => ({
    key,
    value:
      typeof v === 'string'
        ? { stringValue: v }
        : typeof v === 'boolean'
          ? { boolValue: v }
          : { doubleValue: v },
  }));
const ns = (ms: number) => `${BigInt(ms) * 1_000_000n}`;

async function post(server: TestServer, path: string, body: unknown): Promise<void> {
  const res = await fetch(server.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect([path, res.status, await res.text()]).toEqual([path, 200, '{}']);
}

/** A user's whole footprint: a session before and after sign-in, views, actions, errors, a replay, spans of a trace (browser and backend), a metric point. */
export async function sendUser(
  server: TestServer,
  user: string,
  session: string,
  trace: string,
): Promise<void> {
  const t = Date.now();
  const ev = (eventName: string, attrs: Record<string, string | number | boolean>, signedIn = true) => ({
    timeUnixNano: ns(t),
    eventName,
    attributes: kv({ [M.SESSION_ID]: session, ...(signedIn ? { [M.USER_ID]: user } : {}), ...attrs }),
  });
  const replayEvents = JSON.stringify([
    { type: 3, timestamp: t, data: { source: 5, text: `${user} typed this`, id: 7 } },
  ]);
  await post(server, '/v1/logs', {
    resourceLogs: [
      {
        resource: { attributes: kv({ [M.RUM_APP_ID]: ERASURE_APP }) },
        scopeLogs: [
          {
            logRecords: [
              // Before sign-in: no user id, but the session is theirs.
              ev(
                M.EventName.VIEW,
                { [M.RUM_VIEW_ID]: `${session}-v0`, 'url.full': `https://shop.test/?u=${user}` },
                false,
              ),
              ev(M.EventName.VIEW, {
                [M.RUM_VIEW_ID]: `${session}-v1`,
                'url.full': 'https://shop.test/account',
              }),
              ev(M.EventName.ACTION, {
                [M.RUM_VIEW_ID]: `${session}-v1`,
                'rum.action.type': 'click',
                'rum.action.name': `hello ${user}`,
              }),
              ev(M.EventName.EXCEPTION, {
                [M.RUM_VIEW_ID]: `${session}-v1`,
                'exception.message': `no cart for ${user}`,
                trace_id: trace,
              }),
              {
                timeUnixNano: ns(t),
                eventName: M.EventName.REPLAY_SEGMENT,
                body: { stringValue: replayEvents },
                attributes: kv({
                  [M.SESSION_ID]: session,
                  [M.RUM_VIEW_ID]: `${session}-v1`,
                  [M.RUM_REPLAY_SEQUENCE]: 0,
                  [M.RUM_REPLAY_START]: t,
                  [M.RUM_REPLAY_END]: t,
                  [M.RUM_REPLAY_EVENT_COUNT]: 1,
                  [M.RUM_REPLAY_ENCODING]: 'json',
                  [M.RUM_REPLAY_HAS_FULL_SNAPSHOT]: false,
                }),
              },
            ],
          },
        ],
      },
    ],
  });
  const span = (spanId: string, parent: string | undefined, attrs: Record<string, string>) => ({
    traceId: trace,
    spanId,
    ...(parent ? { parentSpanId: parent } : {}),
    name: 'GET /api/cart',
    kind: parent ? 2 : 3,
    startTimeUnixNano: ns(t),
    endTimeUnixNano: ns(t + 5),
    attributes: kv(attrs),
  });
  await post(server, '/v1/traces', {
    resourceSpans: [
      {
        resource: { attributes: kv({ [M.RUM_APP_ID]: ERASURE_APP }) },
        scopeSpans: [
          {
            spans: [
              span('1111222233334444', undefined, {
                [M.SESSION_ID]: session,
                'http.url': `https://shop.test/api/cart?u=${user}`,
              }),
            ],
          },
        ],
      },
      {
        // The backend's span of the same trace: no application, no session.
        resource: { attributes: kv({ [M.SERVICE_NAME]: 'cart-service' }) },
        scopeSpans: [{ spans: [span('5555666677778888', '1111222233334444', { 'enduser.id': user })] }],
      },
    ],
  });
  await post(server, '/v1/metrics', {
    resourceMetrics: [
      {
        resource: { attributes: kv({ [M.RUM_APP_ID]: ERASURE_APP }) },
        scopeMetrics: [
          {
            metrics: [
              {
                name: 'cart.items',
                gauge: {
                  dataPoints: [{ timeUnixNano: ns(t), asDouble: 3, attributes: kv({ [M.USER_ID]: user }) }],
                },
              },
            ],
          },
        ],
      },
    ],
  });
}
