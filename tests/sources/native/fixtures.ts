/*
 * What the native SDKs send, written from their source where they cannot run here (no Android device
 * or emulator, no Swift toolchain, no Flutter, no opentelemetry-cpp build). Each fixture names the SDK
 * release and the files it was read from; names the SDK spells are written out here as the SDK spells
 * them, not taken from our model, so that a rename on our side shows up as a failing test.
 *
 * Each fixture is one user's visit: a first screen (the app start), a tap on Checkout making a POST to
 * the backend, a second screen, and a crash twice (the same bug, two lines apart in two builds' worth of
 * line numbers), plus what else the SDK sends that the server must refuse or keep apart.
 */
import { hexId, logRecord, logsRequest, span, SPAN_KIND, tracesRequest, type Value } from './otlp';

export interface Visit {
  traces: Record<string, unknown>;
  logs?: Record<string, unknown>;
  /** The client span of the request, whose ids the test sends to the real backend as traceparent. */
  request: { traceId: string; spanId: string };
}

export interface NativeFixture {
  type: 'android' | 'ios' | 'flutter' | 'cpp';
  appId: string;
  /** The SDK release and files the records were written from. */
  readFrom: string;
  /** The session id the SDK sends; null when it has none (the server derives one). */
  sessionId: string | null;
  /** The session id the crashes arrive with, when not the visit's (MetricKit reports at the next launch). */
  crashSessionId?: string;
  os: string;
  device: string;
  screens: [string, string];
  tap: string;
  crashType: string;
  /** The first frame of the app's own code in the crash's stack, which groups it; null without frames. */
  topAppFrame: string | null;
  /** Other error events of the visit: their type and rum.error.source. */
  otherErrors: { type: string; source: string }[];
  /** Records the server refuses (not RUM events), counted in its partial success answer. */
  rejectedLogRecords: number;
  visit(t0: number, backendUrl: string, appId: string): Visit;
}

const MS = 1;

/** OpenTelemetry Android: read at open-telemetry/opentelemetry-android 8fdaf03 (after v1.6.0). */
const android: NativeFixture = {
  type: 'android',
  appId: 'android_shop',
  readFrom:
    'opentelemetry-android 1.6.0 (commit 8fdaf03): core/AndroidResource.kt, SessionIdSpanAppender.kt, ' +
    'instrumentation/activity ActivityTracer.kt, ActivityCallbacks.kt, startup/AppStartupTimer.kt, ' +
    'instrumentation/crash CrashReporter.kt, instrumentation/anr AnrWatcher.kt, instrumentation/view-click ' +
    'ViewClickEventGenerator.kt, instrumentation/okhttp3, semconv/model/android/*.yaml',
  sessionId: 'b1f5c6f3a0e74c3f9d7a51c2e4b8a911',
  os: 'Android',
  device: 'mobile',
  screens: ['MainActivity', 'CartActivity'],
  tap: 'tap on checkout_button',
  crashType: 'java.lang.IllegalStateException',
  topAppFrame: 'com.example.shop.cart.CartTotals.compute',
  otherErrors: [{ type: 'ANR', source: 'anr' }],
  // app.screen.click (the tap's coordinates, sent beside app.widget.click) and network.change.
  rejectedLogRecords: 2,
  visit(t0, backendUrl, appId) {
    const session = { 'session.id': this.sessionId! };
    const resource = {
      'rum.app.id': appId,
      'service.name': 'Shop',
      'service.version': '2.3.1',
      'telemetry.sdk.name': 'opentelemetry',
      'telemetry.sdk.language': 'java',
      'telemetry.sdk.version': '1.6.0',
      'device.model.name': 'Pixel 8',
      'device.model.identifier': 'Pixel 8',
      'device.manufacturer': 'Google',
      'os.name': 'Android',
      'os.type': 'linux',
      'os.version': '14',
      'os.description': 'Android Version 14 (Build AP2A.240805.005 API level 34)',
      'android.os.api_level': '34',
      'app.installation.id': '0d6b1e0e-7c43-4d1c-9a55-2f0a1f5b7c10',
    };
    const traceId = hexId(16);
    const appStart = span({
      name: 'AppStart',
      traceId,
      startMs: t0,
      endMs: t0 + 850 * MS,
      attributes: { 'start.type': 'cold', ...session },
    });
    const created = (activity: string, start: number, end: number, parent?: string) =>
      span({
        name: 'Created',
        traceId: parent ? traceId : undefined,
        parentSpanId: parent,
        startMs: start,
        endMs: end,
        attributes: { 'activity.name': activity, 'app.screen.name': activity, ...session },
        events: ['activityPreCreated', 'activityCreated', 'activityPostCreated', 'activityPostResumed'].map(
          (name, i) => ({ name, timeMs: start + i * 10, attributes: {} }),
        ),
      });
    const request = span({
      name: 'POST',
      kind: SPAN_KIND.client,
      startMs: t0 + 2000,
      endMs: t0 + 2120,
      attributes: {
        'http.request.method': 'POST',
        'url.full': `${backendUrl}/api/checkout`,
        'server.address': '127.0.0.1',
        'http.response.status_code': 200,
        'network.protocol.version': '1.1',
        'app.screen.name': 'MainActivity',
        ...session,
      },
    });
    const crashStack = (line: number) =>
      `java.lang.IllegalStateException: Cart total is negative: -12\n` +
      `\tat com.example.shop.cart.CartTotals.compute(CartTotals.kt:${line})\n` +
      `\tat com.example.shop.cart.CartActivity.onResume(CartActivity.kt:41)\n` +
      `\tat android.app.Instrumentation.callActivityOnResume(Instrumentation.java:1531)\n` +
      `\tat android.app.Activity.performResume(Activity.java:8422)\n`;
    const crash = (at: number, line: number, total: number) =>
      logRecord({
        eventName: 'app.crash',
        timeMs: at,
        attributes: {
          'thread.id': 2,
          'thread.name': 'main',
          'exception.message': `Cart total is negative: ${total}`,
          'exception.stacktrace': crashStack(line),
          'exception.type': 'java.lang.IllegalStateException',
          'app.screen.name': 'CartActivity',
          ...session,
        },
      });
    return {
      request: { traceId: request.traceId, spanId: request.spanId },
      traces: tracesRequest(resource, {
        'io.opentelemetry.lifecycle': [
          appStart,
          created('MainActivity', t0 + 300, t0 + 850, appStart.spanId),
          span({
            name: 'Paused',
            startMs: t0 + 4000,
            endMs: t0 + 4005,
            attributes: { 'activity.name': 'MainActivity', 'app.screen.name': 'MainActivity', ...session },
          }),
          created('CartActivity', t0 + 4010, t0 + 4180),
        ],
        'io.opentelemetry.okhttp-3.0': [request],
      }),
      logs: logsRequest(resource, {
        'io.opentelemetry.sessions': [
          logRecord({ eventName: 'session.start', timeMs: t0, attributes: { ...session } }),
        ],
        'io.opentelemetry.android.instrumentation.view.click': [
          logRecord({
            eventName: 'app.screen.click',
            timeMs: t0 + 1990,
            attributes: { 'app.screen.coordinate.x': 540, 'app.screen.coordinate.y': 1710, ...session },
          }),
          logRecord({
            eventName: 'app.widget.click',
            timeMs: t0 + 1990,
            attributes: {
              'app.widget.name': 'checkout_button',
              'app.widget.id': '2131230821',
              'app.screen.coordinate.x': 96,
              'app.screen.coordinate.y': 1650,
              'app.screen.name': 'MainActivity',
              ...session,
            },
          }),
        ],
        'io.opentelemetry.network': [
          logRecord({
            eventName: 'network.change',
            timeMs: t0 + 3000,
            attributes: { 'network.status': 'lost' },
          }),
        ],
        'io.opentelemetry.anr': [
          logRecord({
            eventName: 'device.anr',
            timeMs: t0 + 4500,
            attributes: {
              'thread.id': 2,
              'thread.name': 'main',
              // StackTraceElement.toString, one a line (AnrWatcher.stackTraceToString).
              'exception.stacktrace':
                'android.os.MessageQueue.nativePollOnce(Native Method)\n' +
                'com.example.shop.cart.CartRepository.loadBlocking(CartRepository.kt:88)\n' +
                'com.example.shop.cart.CartActivity.onCreate(CartActivity.kt:27)\n' +
                'android.app.Activity.performCreate(Activity.java:8595)\n',
              ...session,
            },
          }),
        ],
        'io.opentelemetry.crash': [crash(t0 + 5000, 57, -12), crash(t0 + 5100, 59, -3)],
      }),
    };
  },
};

/** OpenTelemetry Swift: read at open-telemetry/opentelemetry-swift 128e44d (2.5.2). */
const ios: NativeFixture = {
  type: 'ios',
  appId: 'ios_shop',
  readFrom:
    'opentelemetry-swift 2.5.2 (commit 128e44d): Sources/Instrumentation/Sessions (SessionConstants.swift, ' +
    'README.md), URLSession/URLSessionLogger.swift and URLSessionInstrumentationConfiguration.swift ' +
    '(default semantic convention: old), MetricKit/MetricKitInstrumentation.swift, README.md, ' +
    'StackTraceFormat.md, SDKResourceExtension/*ResourceProvider.swift; screens and taps from the guide',
  sessionId: '6F1C2A4E-3B7D-4E55-9C1A-8D2B3F4A5C6D',
  crashSessionId: 'A0B1C2D3-E4F5-4A6B-8C7D-9E0F1A2B3C4D',
  os: 'iOS',
  device: 'mobile',
  screens: ['CatalogView', 'CartView'],
  tap: 'tap on Checkout',
  crashType: 'EXC_BAD_ACCESS',
  topAppFrame: 'Shop + 165304 (70B89F27-1634-3580-A695-57CDB41D7743)',
  otherErrors: [{ type: 'Hang', source: 'hang' }],
  rejectedLogRecords: 0,
  visit(t0, backendUrl, appId) {
    const resource = {
      'rum.app.id': appId,
      'service.name': appId,
      'service.version': '2.3.1 (45)',
      'telemetry.sdk.name': 'opentelemetry',
      'telemetry.sdk.language': 'swift',
      'telemetry.sdk.version': '2.5.2',
      'os.type': 'darwin',
      'os.name': 'iOS',
      'os.version': '17.5.1',
      'os.description': 'iOS Version 17.5.1 (Build 21F90)',
      'device.model.identifier': 'iPhone15,2',
    };
    const session = { 'session.id': this.sessionId! };
    const view = (name: string, start: number, end: number, first: boolean) =>
      span({
        name: 'rum.view',
        startMs: start,
        endMs: end,
        attributes: {
          'app.screen.name': name,
          'rum.view.loading_type': first ? 'app_start' : 'route_change',
          ...session,
        },
      });
    const tap = span({
      name: 'rum.action',
      startMs: t0 + 1990,
      endMs: t0 + 1990,
      attributes: { 'app.widget.name': 'Checkout', ...session },
    });
    const request = span({
      name: 'HTTP POST',
      traceId: tap.traceId,
      parentSpanId: tap.spanId,
      kind: SPAN_KIND.client,
      startMs: t0 + 2000,
      endMs: t0 + 2150,
      attributes: {
        'http.method': 'POST',
        'http.url': `${backendUrl}/api/checkout`,
        'http.target': '/api/checkout',
        'net.peer.name': '127.0.0.1',
        'http.scheme': 'http',
        'http.status_code': 200,
        ...session,
      },
    });
    // MetricKit's call stack tree, in opentelemetry-swift's JSON (StackTraceFormat.md).
    const tree = (appOffset: number) =>
      JSON.stringify({
        callStackPerThread: true,
        callStacks: [
          {
            threadAttributed: true,
            callStackFrames: [
              {
                binaryUUID: '70B89F27-1634-3580-A695-57CDB41D7743',
                offsetAddress: appOffset,
                binaryName: 'Shop',
              },
              {
                binaryUUID: '77A62F2E-8212-30F3-84C1-E8497440ACF8',
                offsetAddress: 6948,
                binaryName: 'UIKitCore',
              },
            ],
          },
        ],
      });
    // Delivered at the next launch, in that launch's session, stamped with MetricKit's timeStampEnd.
    const next = { 'session.id': this.crashSessionId! };
    const crash = (at: number) =>
      logRecord({
        eventName: 'metrickit.diagnostic.crash',
        timeMs: at,
        attributes: {
          name: 'metrickit.diagnostic.crash',
          'exception.type': 'EXC_BAD_ACCESS',
          'exception.message': 'Bad memory access (KERN_INVALID_ADDRESS at 0x0000000000000010)',
          'exception.stacktrace': tree(165304),
          'metrickit.diagnostic.crash.exception.mach_exception.name': 'EXC_BAD_ACCESS',
          'metrickit.diagnostic.crash.exception.signal': 11,
          'metrickit.diagnostic.crash.exception.signal.name': 'SIGSEGV',
          'metrickit.diagnostic.crash.exception.code': 0,
          ...next,
        },
      });
    return {
      request: { traceId: request.traceId, spanId: request.spanId },
      traces: tracesRequest(resource, {
        rum: [view('CatalogView', t0, t0 + 4000, true), tap, view('CartView', t0 + 4000, t0 + 6000, false)],
        NSURLSession: [request],
      }),
      logs: logsRequest(resource, {
        'io.opentelemetry.sessions': [
          logRecord({ eventName: 'session.start', timeMs: t0, attributes: { ...session } }),
        ],
        MetricKit: [
          crash(t0 + 9000),
          crash(t0 + 9100),
          logRecord({
            eventName: 'metrickit.diagnostic.hang',
            timeMs: t0 + 9200,
            attributes: {
              name: 'metrickit.diagnostic.hang',
              'metrickit.diagnostic.hang.hang_duration': 2.5,
              'exception.stacktrace': tree(170220),
              ...next,
            },
          }),
        ],
      }),
    };
  },
};

/** Spans of the guides' helpers (rum.view, rum.action, a client span, app.crash with exception). */
function helperVisit(
  t0: number,
  resource: Record<string, Value | undefined>,
  screens: [string, string],
  backendUrl: string,
  crash: (line: number) => Record<string, Value | undefined>,
): Visit {
  const view = (name: string, start: number, end: number, first: boolean) =>
    span({
      name: 'rum.view',
      startMs: start,
      endMs: end,
      attributes: { 'app.screen.name': name, 'rum.view.loading_type': first ? 'app_start' : 'route_change' },
    });
  const tap = span({
    name: 'rum.action',
    startMs: t0 + 1990,
    endMs: t0 + 1990,
    attributes: { 'app.widget.name': 'Checkout' },
  });
  const request = span({
    name: 'POST',
    kind: SPAN_KIND.client,
    startMs: t0 + 2000,
    endMs: t0 + 2100,
    attributes: {
      'http.request.method': 'POST',
      'url.full': `${backendUrl}/api/checkout`,
      'http.response.status_code': 200,
    },
  });
  const crashSpan = (at: number, line: number) =>
    span({
      name: 'app.crash',
      startMs: at,
      endMs: at,
      events: [{ name: 'exception', timeMs: at, attributes: crash(line) }],
    });
  return {
    request: { traceId: request.traceId, spanId: request.spanId },
    traces: tracesRequest(resource, {
      rum: [
        view(screens[0], t0, t0 + 4000, true),
        tap,
        request,
        view(screens[1], t0 + 4000, t0 + 5000, false),
        crashSpan(t0 + 5000, 14),
        crashSpan(t0 + 5100, 16),
      ],
    }),
  };
}

/** Flutter with the Dart opentelemetry package: read at Workiva/opentelemetry-dart 0a1da3c (0.18.10). */
const flutter: NativeFixture = {
  type: 'flutter',
  appId: 'flutter_shop',
  readFrom:
    'opentelemetry (Dart) 0.18.10 (Workiva/opentelemetry-dart commit 0a1da3c): lib/src/sdk/trace/span.dart ' +
    '(recordException: exception.type is the runtime type, exception.message its toString(), ' +
    'exception.stacktrace the Dart StackTrace, exception.escaped), exporters/collector_exporter.dart; ' +
    "spans of the guide's rum.dart",
  sessionId: null,
  os: 'Android',
  device: 'mobile',
  screens: ['/catalog', '/cart'],
  tap: 'tap on Checkout',
  crashType: 'StateError',
  topAppFrame: 'CartModel.total',
  otherErrors: [],
  rejectedLogRecords: 0,
  visit(t0, backendUrl, appId) {
    return helperVisit(
      t0,
      {
        'rum.app.id': appId,
        'service.name': appId,
        'os.name': 'Android',
        'service.version': '1.0.0',
        'telemetry.sdk.name': 'opentelemetry',
        'telemetry.sdk.language': 'dart',
      },
      this.screens,
      backendUrl,
      (line) => ({
        'exception.type': 'StateError',
        'exception.message': 'Bad state: cart is empty',
        'exception.stacktrace':
          `#0      CartModel.total (package:shop/cart/cart_model.dart:${line}:7)\n` +
          `#1      CartPage.build (package:shop/cart/cart_page.dart:33:24)\n` +
          `#2      StatelessElement.build (package:flutter/src/widgets/framework.dart:5687:49)\n` +
          `#3      _rootRun (dart:async/zone.dart:1399:13)\n`,
        'exception.escaped': true,
      }),
    );
  },
};

/** opentelemetry-cpp with the OTLP/HTTP exporter and the guide's helpers (no client instrumentation exists). */
const cpp: NativeFixture = {
  type: 'cpp',
  appId: 'cpp_shop',
  readFrom:
    "opentelemetry-cpp 1.x OTLP/HTTP exporter (JSON or protobuf) with the guide's helpers: spans rum.view, " +
    'rum.action, a client span, app.crash with an exception event (type from typeid, GCC-mangled)',
  sessionId: null,
  os: 'Windows',
  device: 'desktop',
  screens: ['MainWindow', 'CartWindow'],
  tap: 'tap on Checkout',
  crashType: 'St13runtime_error',
  topAppFrame: null,
  otherErrors: [],
  rejectedLogRecords: 0,
  visit(t0, backendUrl, appId) {
    return helperVisit(
      t0,
      {
        'rum.app.id': appId,
        'service.name': appId,
        'os.name': 'Windows',
        'service.version': '1.0.0',
        'telemetry.sdk.name': 'opentelemetry',
        'telemetry.sdk.language': 'cpp',
        'telemetry.sdk.version': '1.21.0',
      },
      this.screens,
      backendUrl,
      () => ({
        'exception.type': 'St13runtime_error',
        'exception.message': 'cart total overflowed',
      }),
    );
  },
};

export const NATIVE_FIXTURES: readonly NativeFixture[] = [android, ios, flutter, cpp];
