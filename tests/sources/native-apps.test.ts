/*
 * Sources that cannot run here: the OpenTelemetry Android agent, OpenTelemetry Swift, Flutter's Dart
 * OpenTelemetry package and opentelemetry-cpp. What each sends is written from its source (see
 * native/fixtures.ts, which names the release and files) and posted to the real server over OTLP/HTTP;
 * the request's traceparent goes to a backend traced by the OpenTelemetry Node SDK for real. For each:
 * a session with two screens (the first the app start), a tap, the request joined to the backend span,
 * and the crashes, with the device fields, grouped into one issue with their native frames.
 */
import type { ChildProcess } from 'node:child_process';
import * as M from '@otel-rum/model';
import type { RunningServer } from '../../server/src/app';
import { startInstrumentedBackend, stopBackend } from '../support/backend';
import { apiFetch, eventually, getJson, startTestServer } from '../support/server';
import { listEvents } from './support/api';
import { emptyPanels } from './support/dashboard-panels';
import { NATIVE_FIXTURES, type NativeFixture } from './native/fixtures';

jest.setTimeout(30_000);

const BACKEND_PORT = 4900 + (process.pid % 100);
const BACKEND = `http://127.0.0.1:${BACKEND_PORT}`;

let server: RunningServer;
let backend: ChildProcess;
beforeAll(async () => {
  server = await startTestServer({ apps: NATIVE_FIXTURES.map(({ appId, type }) => ({ appId, type })) });
  backend = await startInstrumentedBackend(BACKEND_PORT, server.url, 'android_shop');
});
afterAll(async () => {
  await stopBackend(backend);
  await server?.close();
});

async function post(path: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, unknown>;
}

describe.each(NATIVE_FIXTURES)('$type ($readFrom)', (fx) => {
  let request: { traceId: string; spanId: string };
  let rejected = 0;

  beforeAll(async () => {
    const visit = fx.visit(Date.now() - 60_000, BACKEND, fx.appId);
    request = visit.request;
    // The app's request reaches the backend with the traceparent of its client span.
    const res = await fetch(`${BACKEND}/api/checkout`, {
      method: 'POST',
      headers: { traceparent: `00-${request.traceId}-${request.spanId}-01` },
    });
    expect(res.status).toBe(200);
    await post('/v1/traces', visit.traces);
    if (visit.logs) {
      const answer = await post('/v1/logs', visit.logs);
      rejected = Number((answer.partialSuccess as { rejectedLogRecords?: number })?.rejectedLogRecords ?? 0);
    }
  });

  it('shows the two screens, the first as the app start, with OS, device and version fields', async () => {
    const views = await listEvents(server.url, 'views', fx.appId);
    expect(views.map((v) => v.label).sort()).toEqual([...fx.screens].sort());
    const first = views.find((v) => v.label === fx.screens[0])!;
    const second = views.find((v) => v.label === fx.screens[1])!;
    expect(first.type).toBe('app_start');
    expect(second.type).toBe('route_change');
    for (const v of views) {
      expect(v).toMatchObject({ os: fx.os, device: fx.device, browser: null, source: 'otel-native' });
      if (fx.sessionId) expect(v.sessionId).toBe(fx.sessionId);
    }
    if (fx.type === 'android') {
      // The cold start: from process start to the first activity resumed (the AppStart span).
      expect(first.attributes).toMatchObject({ [M.RUM_VIEW_LOADING_TIME]: 850, 'start.type': 'cold' });
      expect(first.attributes).toMatchObject({ [M.DEVICE_MODEL_NAME]: 'Pixel 8', [M.OS_VERSION]: '14' });
      expect(first.serviceVersion).toBe('2.3.1');
    }
  });

  it('shows the tap and the request, joined to the backend span', async () => {
    const [action] = await listEvents(server.url, 'actions', fx.appId);
    expect(action).toMatchObject({ label: fx.tap, type: 'click' });
    const resources = await listEvents(server.url, 'resources', fx.appId);
    expect(resources).toHaveLength(1);
    expect(resources[0]).toMatchObject({
      url: `${BACKEND}/api/checkout`,
      status: 200,
      type: 'native',
      traceId: request.traceId,
      spanId: request.spanId,
    });
    const spans = await eventually(async () => {
      const t = await getJson(server.url, `/api/v1/traces/${request.traceId}`);
      return t.spans.some((s: { serviceName: string }) => s.serviceName === 'checkout-backend')
        ? t.spans
        : undefined;
    });
    const backendSpan = spans.find((s: { serviceName: string }) => s.serviceName === 'checkout-backend');
    expect(backendSpan.parentSpanId).toBe(request.spanId);
  });

  it('keeps the session the SDK names, or derives one, over every event of the visit', async () => {
    const sessions = (await getJson(server.url, `/api/v1/sessions?app_id=${fx.appId}`)).items;
    const visit = sessions.find((s: { viewCount: number }) => s.viewCount === 2);
    expect(visit).toMatchObject({ actionCount: 1, resourceCount: 1, os: fx.os, device: fx.device });
    if (fx.sessionId) expect(visit.sessionId).toBe(fx.sessionId);
    else expect(visit.sessionId).toMatch(/^derived-/);
  });

  it('groups the two crashes into one issue, apart from the other errors', async () => {
    const errors = await listEvents(server.url, 'errors', fx.appId);
    const crashes = errors.filter((e) => e.attributes[M.RUM_ERROR_SOURCE] === 'crash');
    expect(crashes).toHaveLength(2);
    for (const c of crashes) {
      expect(c).toMatchObject({ type: fx.crashType });
      expect(c.attributes[M.RUM_ERROR_HANDLED]).toBe(false);
      expect(c.sessionId).toBe(fx.crashSessionId ?? crashes[0]!.sessionId);
    }
    expect(crashes[0]!.fingerprint).toBe(crashes[1]!.fingerprint);
    const others = errors.filter((e) => e.attributes[M.RUM_ERROR_SOURCE] !== 'crash');
    expect(others.map((e) => ({ type: e.type, source: e.attributes[M.RUM_ERROR_SOURCE] }))).toEqual(
      fx.otherErrors,
    );
    const issues = (await getJson(server.url, `/api/v1/issues?app_id=${fx.appId}`)).items;
    expect(issues).toHaveLength(1 + fx.otherErrors.length);
    expect(
      issues.find((i: { fingerprint: string }) => i.fingerprint === crashes[0]!.fingerprint),
    ).toMatchObject({
      type: fx.crashType,
      count: 2,
    });
    expect(rejected).toBe(fx.rejectedLogRecords);
    // The issue page's stack: the native frames as parsed, the app's own marked.
    const detail = await getJson(server.url, `/api/v1/issues/${crashes[0]!.fingerprint}?app_id=${fx.appId}`);
    const inApp = detail.frames
      .filter((f: { inApp: boolean }) => f.inApp)
      .map((f: { function: string }) => f.function);
    expect(inApp[0] ?? null).toBe(fx.topAppFrame);
  });

  if (fx.type === 'ios') {
    it("keeps MetricKit's frames as the lines of a crash report", async () => {
      const [crash] = (await listEvents(server.url, 'errors', fx.appId)).filter(
        (e) => e.attributes[M.RUM_ERROR_SOURCE] === 'crash',
      );
      expect(crash!.attributes[M.EXCEPTION_STACKTRACE]).toBe(
        '0   Shop   0x00000000000285b8 Shop + 165304 (70B89F27-1634-3580-A695-57CDB41D7743)\n' +
          '1   UIKitCore   0x0000000000001b24 UIKitCore + 6948 (77A62F2E-8212-30F3-84C1-E8497440ACF8)',
      );
      const hang = (await listEvents(server.url, 'errors', fx.appId)).find((e) => e.type === 'Hang');
      expect(hang!.durationMs).toBe(2500);
    });
  }
});

it('refuses what the Android agent sends that is no RUM event, naming it', async () => {
  const res = await apiFetch(server.url, '/v1/logs', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      resourceLogs: [
        {
          resource: { attributes: [{ key: 'rum.app.id', value: { stringValue: 'android_shop' } }] },
          scopeLogs: [{ logRecords: [{ eventName: 'app.jank', attributes: [] }] }],
        },
      ],
    }),
  });
  const answer = await res.json();
  expect(Number(answer.partialSuccess.rejectedLogRecords)).toBe(1);
  expect(answer.partialSuccess.errorMessage).toContain(
    'log record with event name "app.jank" is not a RUM event',
  );
});

/*
 * The bundled mobile dashboard over these visits: each panel's queries, built by the data source's own
 * request builder with every variable at All, asked of the server. A panel that stays empty for an SDK
 * must be one its README row says that SDK cannot fill.
 */
describe('the mobile dashboard', () => {
  /** Panels with no data for each SDK, and why. */
  const EMPTY: Record<NativeFixture['type'], string[]> = {
    // The visit has no failing request.
    android: ['Failing requests by status'],
    // No app start time (MetricKit averages only); no device.model.name (only the identifier);
    // MetricKit's crashes name no screen.
    ios: [
      'p75 app start by version',
      'Crashes by screens',
      'Failing requests by status',
      'Views by device model',
    ],
    // The Dart and C++ guides send no app start time, device model or OS version; crash spans name no screen.
    flutter: [
      'p75 app start by version',
      'Crashes by screens',
      'Failing requests by status',
      'Views by OS version',
      'Views by device model',
      'Crashes by device model identifier (iOS)',
    ],
    cpp: [
      'p75 app start by version',
      'Crashes by screens',
      'Failing requests by status',
      'Views by OS version',
      'Views by device model',
      'Crashes by device model identifier (iOS)',
    ],
  };

  it.each(NATIVE_FIXTURES.map((fx) => [fx.type, fx] as const))(
    'has data in every panel for %s but those its SDK cannot fill',
    async (_type, fx) => {
      const empty = await emptyPanels(server.url, 'mobile-overview.json', fx.appId);
      expect(empty).toEqual([...EMPTY[fx.type]].sort());
    },
  );
});
