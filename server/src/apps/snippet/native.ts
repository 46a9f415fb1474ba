import {
  AppEventName,
  SERVICE_VERSION,
  APP_SCREEN_NAME,
  EXCEPTION_MESSAGE,
  EXCEPTION_TYPE,
  EventName,
  HTTP_REQUEST_METHOD,
  HTTP_RESPONSE_STATUS_CODE,
  OS_NAME,
  RUM_APP_ID,
  RUM_VIEW_LOADING_TYPE,
  SERVICE_NAME,
  SESSION_ID,
  URL_FULL,
} from '@otel-rum/model';
import type { Snippet, SnippetContext } from './snippet';

/*
 * Native platforms: the OpenTelemetry SDK of each, exporting OTLP/HTTP to this server with the
 * application id as the resource attribute rum.app.id. App ids are letters, digits and underscore, so
 * they need no escaping in any of these languages; the endpoint is a validated URL. What each sends and
 * how the server maps it: server/src/ingest/normalize/README.md, "Native apps".
 */

/** Release of opentelemetry-android the Android guide names (its instrumentations are released as -alpha). */
export const ANDROID_AGENT_VERSION = '1.6.0';

/** Android: the OpenTelemetry Android agent (crashes, ANRs, activities, sessions) over OTLP/HTTP. */
export function androidSnippets({ app, endpoint }: SnippetContext): Snippet[] {
  return [
    {
      id: 'gradle',
      title:
        'app/build.gradle.kts: the agent, tap events, and OkHttp requests (with the Byte Buddy Gradle plugin)',
      language: 'kotlin',
      code: `plugins {
    id("net.bytebuddy.byte-buddy-gradle-plugin") version "1.17.6"
}

dependencies {
    implementation("io.opentelemetry.android:android-agent:${ANDROID_AGENT_VERSION}")
    implementation("io.opentelemetry.android.instrumentation:view-click:${ANDROID_AGENT_VERSION}-alpha")
    implementation("io.opentelemetry.android.instrumentation:okhttp3-library:${ANDROID_AGENT_VERSION}-alpha")
    byteBuddy("io.opentelemetry.android.instrumentation:okhttp3-agent:${ANDROID_AGENT_VERSION}-alpha")
}
`,
    },
    {
      id: 'init',
      title: 'Your Application class',
      language: 'kotlin',
      code: `import android.app.Application
import io.opentelemetry.android.agent.OpenTelemetryRumInitializer

class ShopApplication : Application() {
    override fun onCreate() {
        super.onCreate()
        OpenTelemetryRumInitializer.initialize(
            context = this,
            configuration = {
                httpExport { baseUrl = "${endpoint}" }
                resource {
                    put("${RUM_APP_ID}", "${app.appId}")
                    put("${SERVICE_NAME}", "${app.appId}")
                }
            },
        )
    }
}
`,
    },
    {
      id: 'limits',
      title: 'What the Android agent sends, and what it cannot',
      language: 'text',
      code: `Sent: sessions (session.id), screens (activity and fragment lifecycle spans; the first screen carries
the app start), taps (app.widget.click, with view-click), OkHttp requests with traceparent (with
okhttp3), crashes (app.crash, JVM stack trace), native crashes (with the native-crash instrumentation:
signal only, no frames), ANRs (device.anr, the main thread's stack), device, OS and app version.
Not sent, so these panels stay empty: web vitals, long tasks (slow renders are app.jank events, not
kept), request phases (DNS, TLS, first byte), session replay.
Traces are not sampled by the application's trace sample rate: the agent keeps every span.`,
    },
  ];
}

/** iOS and macOS: opentelemetry-swift with its OTLP/HTTP exporters and instrumentations. */
export function appleSnippets({ app, endpoint }: SnippetContext): Snippet[] {
  return [
    {
      id: 'package',
      title: 'Package.swift (or File > Add Package Dependencies in Xcode)',
      language: 'swift',
      code: `.package(url: "https://github.com/open-telemetry/opentelemetry-swift", from: "2.5.0"),
// target dependencies:
.product(name: "OpenTelemetrySdk", package: "opentelemetry-swift"),
.product(name: "OpenTelemetryProtocolExporterHTTP", package: "opentelemetry-swift"),
.product(name: "ResourceExtension", package: "opentelemetry-swift"),
.product(name: "Sessions", package: "opentelemetry-swift"),
.product(name: "URLSessionInstrumentation", package: "opentelemetry-swift"),
.product(name: "MetricKitInstrumentation", package: "opentelemetry-swift"),
`,
    },
    {
      id: 'init',
      title: 'At launch (App init or application(_:didFinishLaunchingWithOptions:))',
      language: 'swift',
      code: `import Foundation
import MetricKit
import MetricKitInstrumentation
import OpenTelemetryApi
import OpenTelemetrySdk
import OpenTelemetryProtocolExporterHttp
import ResourceExtension
import Sessions
import URLSessionInstrumentation

var urlSessionInstrumentation: URLSessionInstrumentation?
var metricKitInstrumentation: AnyObject?

func startTelemetry() {
    // service.version, os.name, os.version, device.model.identifier from the bundle and the device.
    let resource = DefaultResources().get().merging(other: Resource(attributes: [
        "${RUM_APP_ID}": .string("${app.appId}"),
        "${SERVICE_NAME}": .string("${app.appId}"),
    ]))
    let tracerProvider = TracerProviderBuilder()
        .add(spanProcessor: SessionSpanProcessor())
        .add(spanProcessor: BatchSpanProcessor(spanExporter:
            OtlpHttpTraceExporter(endpoint: URL(string: "${endpoint}/v1/traces")!)))
        .with(resource: resource)
        .with(sampler: Samplers.parentBased(root: Samplers.traceIdRatio(ratio: ${app.traceSampleRate})))
        .build()
    OpenTelemetry.registerTracerProvider(tracerProvider: tracerProvider)
    let loggerProvider = LoggerProviderBuilder()
        .with(processors: [SessionLogRecordProcessor(nextProcessor: BatchLogRecordProcessor(
            logRecordExporter: OtlpHttpLogExporter(endpoint: URL(string: "${endpoint}/v1/logs")!)))])
        .with(resource: resource)
        .build()
    OpenTelemetry.registerLoggerProvider(loggerProvider: loggerProvider)
    SessionEventInstrumentation.install()
    // Requests: a client span each, traceparent on the request.
    urlSessionInstrumentation = URLSessionInstrumentation(configuration: URLSessionInstrumentationConfiguration(
        shouldInstrument: { request in !(request.url?.absoluteString.hasPrefix("${endpoint}") ?? false) }))
    // Crashes and hangs: MetricKit reports them at the next launch.
    if #available(iOS 13.0, macOS 12.0, *) {
        let metricKit = MetricKitInstrumentation()
        MXMetricManager.shared.add(metricKit)
        metricKitInstrumentation = metricKit
    }
}
`,
    },
    {
      id: 'screens',
      title: 'Screens and taps: call showScreen in viewDidAppear (or .onAppear), tap in actions',
      language: 'swift',
      code: `import OpenTelemetryApi

private var screenSpan: Span?

func showScreen(_ name: String) {
    let first = screenSpan == nil
    screenSpan?.end()
    let tracer = OpenTelemetry.instance.tracerProvider.get(instrumentationName: "rum", instrumentationVersion: nil)
    screenSpan = tracer.spanBuilder(spanName: "${EventName.VIEW}")
        .setAttribute(key: "${APP_SCREEN_NAME}", value: name)
        .setAttribute(key: "${RUM_VIEW_LOADING_TYPE}", value: first ? "app_start" : "route_change")
        .startSpan()
}

func tap(_ name: String) {
    let tracer = OpenTelemetry.instance.tracerProvider.get(instrumentationName: "rum", instrumentationVersion: nil)
    tracer.spanBuilder(spanName: "${EventName.ACTION}").setAttribute(key: "app.widget.name", value: name).startSpan().end()
}
`,
    },
    {
      id: 'limits',
      title: 'What OpenTelemetry Swift sends, and what it cannot',
      language: 'text',
      code: `Sent: sessions (Sessions), requests with traceparent (URLSessionInstrumentation), crashes and hangs
(MetricKit, delivered at the next launch, up to a day later, stamped with the end of MetricKit's
reporting window; frames are binary + offset, not symbolicated), device, OS and app version; screens
and taps where your code calls showScreen and tap.
Not sent: crashes as they happen (MetricKit only), handled errors unless you record them, app start
time (MetricKit reports only daily averages), web vitals, long tasks, request phases, session replay.`,
    },
  ];
}

/** Dart helpers for Flutter: screens from a NavigatorObserver, taps, traced requests, crashes. */
const FLUTTER_HELPERS = `import 'package:http/http.dart' as http;
import 'package:flutter/widgets.dart';
import 'package:opentelemetry/api.dart' as otel;

final _tracer = otel.globalTracerProvider.getTracer('rum');

/** Add to MaterialApp(navigatorObservers: [RumObserver()]): one ${EventName.VIEW} span per screen shown. */
class RumObserver extends NavigatorObserver {
  otel.Span? _screen;

  void _show(Route<dynamic>? route) {
    final name = route?.settings.name;
    if (name == null) return;
    final first = _screen == null;
    _screen?.end();
    _screen = _tracer.startSpan('${EventName.VIEW}', attributes: [
      otel.Attribute.fromString('${APP_SCREEN_NAME}', name),
      otel.Attribute.fromString('${RUM_VIEW_LOADING_TYPE}', first ? 'app_start' : 'route_change'),
    ]);
  }

  @override
  void didPush(Route<dynamic> route, Route<dynamic>? previousRoute) => _show(route);
  @override
  void didPop(Route<dynamic> route, Route<dynamic>? previousRoute) => _show(previousRoute);
  @override
  void didReplace({Route<dynamic>? newRoute, Route<dynamic>? oldRoute}) => _show(newRoute);
}

/** Call in onPressed / onTap. */
void tap(String name) {
  _tracer.startSpan('${EventName.ACTION}', attributes: [otel.Attribute.fromString('app.widget.name', name)]).end();
}

class _HeaderSetter implements otel.TextMapSetter<Map<String, String>> {
  @override
  void set(Map<String, String> carrier, String key, String value) => carrier[key] = value;
}

/** An http.Client whose requests are client spans with traceparent. */
class RumHttpClient extends http.BaseClient {
  final http.Client _inner = http.Client();

  @override
  Future<http.StreamedResponse> send(http.BaseRequest request) async {
    final span = _tracer.startSpan(request.method, kind: otel.SpanKind.client, attributes: [
      otel.Attribute.fromString('${HTTP_REQUEST_METHOD}', request.method),
      otel.Attribute.fromString('${URL_FULL}', request.url.toString()),
    ]);
    otel.W3CTraceContextPropagator().inject(
        otel.contextWithSpan(otel.Context.current, span), request.headers, _HeaderSetter());
    try {
      final response = await _inner.send(request);
      span.setAttribute(otel.Attribute.fromInt('${HTTP_RESPONSE_STATUS_CODE}', response.statusCode));
      return response;
    } catch (e, stack) {
      span.recordException(e, stackTrace: stack);
      rethrow;
    } finally {
      span.end();
    }
  }
}

/** In main(): FlutterError.onError and PlatformDispatcher.instance.onError call this. */
void recordCrash(Object error, StackTrace stack) {
  _tracer.startSpan('${AppEventName.APP_CRASH}')
    ..recordException(error, stackTrace: stack)
    ..end();
}
`;

/** Flutter: the Dart opentelemetry package, whose CollectorExporter sends OTLP/HTTP protobuf. */
export function flutterSnippets({ app, endpoint }: SnippetContext): Snippet[] {
  // The package has no ratio sampler: a rate of 0 turns tracing off, anything else keeps every trace.
  const sampler = app.traceSampleRate > 0 ? 'AlwaysOnSampler()' : 'AlwaysOffSampler()';
  return [
    {
      id: 'install',
      title: 'Add the packages',
      language: 'shell',
      code: 'flutter pub add opentelemetry:^0.18.10 http',
    },
    {
      id: 'init',
      title: 'Call startTelemetry() in main() before runApp',
      language: 'dart',
      code: `import 'dart:io' show Platform;
import 'package:opentelemetry/api.dart' as otel;
import 'package:opentelemetry/sdk.dart' as otel_sdk;

String osName() => const {'android': 'Android', 'ios': 'iOS', 'macos': 'macOS', 'windows': 'Windows', 'linux': 'Linux'}[Platform.operatingSystem] ?? Platform.operatingSystem;

void startTelemetry() {
  final provider = otel_sdk.TracerProviderBase(
    processors: [
      otel_sdk.BatchSpanProcessor(
          otel_sdk.CollectorExporter(Uri.parse('${endpoint}/v1/traces'))),
    ],
    resource: otel_sdk.Resource([
      otel.Attribute.fromString('${RUM_APP_ID}', '${app.appId}'),
      otel.Attribute.fromString('${SERVICE_NAME}', '${app.appId}'),
      // 'Android', 'iOS', 'macOS'...: the dashboards' OS and device filters.
      otel.Attribute.fromString('${OS_NAME}', osName()),
      // Your app's version (pubspec.yaml): the dashboards' version filter.
      otel.Attribute.fromString('${SERVICE_VERSION}', '1.0.0'),
    ]),
    sampler: otel_sdk.ParentBasedSampler(otel_sdk.${sampler}),
  );
  otel.registerGlobalTracerProvider(provider);
}
`,
    },
    {
      id: 'rum',
      title: 'rum.dart: screens, taps, requests and crashes',
      language: 'dart',
      code: FLUTTER_HELPERS,
    },
    {
      id: 'limits',
      title: 'What the Dart OpenTelemetry package cannot send',
      language: 'text',
      code: `The package (0.18) has traces only and no instrumentation: screens, taps, requests and crashes come from
rum.dart. Not sent: sessions (the server derives them: same address and user agent, 30-minute
windows), native crashes and ANRs of the Android or iOS host, app start time, web vitals, long tasks,
request phases, session replay. Dart stack traces are kept and grouped by their first frame outside
dart: and package:flutter/.`,
    },
  ];
}

/** C++: opentelemetry-cpp with the OTLP/HTTP exporter (built with WITH_OTLP_HTTP=ON). */
export function cppSnippets({ app, endpoint }: SnippetContext): Snippet[] {
  return [
    {
      id: 'cmake',
      title: 'CMakeLists.txt',
      language: 'cmake',
      code: `find_package(opentelemetry-cpp CONFIG REQUIRED)
target_link_libraries(your_app PRIVATE opentelemetry-cpp::trace opentelemetry-cpp::otlp_http_exporter)
`,
    },
    {
      id: 'init',
      title: 'Call StartTelemetry() at start-up',
      language: 'cpp',
      code: `#include "opentelemetry/exporters/otlp/otlp_http_exporter_factory.h"
#include "opentelemetry/exporters/otlp/otlp_http_exporter_options.h"
#include "opentelemetry/sdk/resource/resource.h"
#include "opentelemetry/sdk/trace/batch_span_processor_factory.h"
#include "opentelemetry/sdk/trace/batch_span_processor_options.h"
#include "opentelemetry/sdk/trace/samplers/parent_factory.h"
#include "opentelemetry/sdk/trace/samplers/trace_id_ratio_factory.h"
#include "opentelemetry/sdk/trace/tracer_provider_factory.h"
#include "opentelemetry/trace/provider.h"

namespace otlp = opentelemetry::exporter::otlp;
namespace sdktrace = opentelemetry::sdk::trace;

void StartTelemetry() {
  otlp::OtlpHttpExporterOptions options;
  options.url = "${endpoint}/v1/traces";
  auto processor = sdktrace::BatchSpanProcessorFactory::Create(
      otlp::OtlpHttpExporterFactory::Create(options), sdktrace::BatchSpanProcessorOptions{});
  auto resource = opentelemetry::sdk::resource::Resource::Create(
      {{"${RUM_APP_ID}", "${app.appId}"}, {"${SERVICE_NAME}", "${app.appId}"},
       {"${SERVICE_VERSION}", "1.0.0"},  // your app's version: the dashboards' version filter
       {"${OS_NAME}", "Windows"}});      // Windows, Linux or macOS: the dashboards' OS filter
  auto sampler = sdktrace::ParentBasedSamplerFactory::Create(
      sdktrace::TraceIdRatioBasedSamplerFactory::Create(${app.traceSampleRate}));
  std::shared_ptr<opentelemetry::trace::TracerProvider> provider =
      sdktrace::TracerProviderFactory::Create(std::move(processor), resource, std::move(sampler));
  opentelemetry::trace::Provider::SetTracerProvider(provider);
}
`,
    },
    {
      id: 'rum',
      title: 'Screens, requests and crashes as the server maps them',
      language: 'cpp',
      code: `#include <exception>
#include <typeinfo>
#include "opentelemetry/sdk/trace/tracer_provider.h"
#include "opentelemetry/trace/provider.h"

namespace trace = opentelemetry::trace;

static auto Tracer() { return trace::Provider::GetTracerProvider()->GetTracer("rum"); }

// One span per screen or window shown, ended when the next is shown.
void ShowScreen(const std::string &name) {
  static opentelemetry::nostd::shared_ptr<trace::Span> screen;
  bool first = !screen;
  if (screen) screen->End();
  screen = Tracer()->StartSpan("${EventName.VIEW}", {{"${APP_SCREEN_NAME}", name},
      {"${RUM_VIEW_LOADING_TYPE}", first ? "app_start" : "route_change"}});
}

// In the handler of a button or menu item.
void Tap(const std::string &name) {
  Tracer()->StartSpan("${EventName.ACTION}", {{"app.widget.name", name}})->End();
}

// Around each HTTP request (inject traceparent into its headers with HttpTraceContext).
opentelemetry::nostd::shared_ptr<trace::Span> StartRequest(const std::string &method, const std::string &url) {
  trace::StartSpanOptions options;
  options.kind = trace::SpanKind::kClient;
  return Tracer()->StartSpan(method, {{"${HTTP_REQUEST_METHOD}", method}, {"${URL_FULL}", url}}, options);
}

// std::set_terminate(RecordCrash) in main(): the uncaught exception, sent before the process ends.
void RecordCrash() {
  auto span = Tracer()->StartSpan("${AppEventName.APP_CRASH}");
  std::string type = "std::terminate", message;
  try {
    if (auto e = std::current_exception()) std::rethrow_exception(e);
  } catch (const std::exception &e) {
    type = typeid(e).name();
    message = e.what();
  } catch (...) {
  }
  span->AddEvent("${EventName.EXCEPTION}", {{"${EXCEPTION_TYPE}", type}, {"${EXCEPTION_MESSAGE}", message}});
  span->End();
  static_cast<opentelemetry::sdk::trace::TracerProvider *>(trace::Provider::GetTracerProvider().get())
      ->ForceFlush();
  std::abort();
}
`,
    },
    {
      id: 'limits',
      title: 'What opentelemetry-cpp cannot send',
      language: 'text',
      code: `opentelemetry-cpp has no client instrumentation: screens, taps, requests and crashes come from the
helpers above. Not sent: sessions (derived by the server), crashes by signal (SIGSEGV: a terminate handler does
not run), stack frames unless you add exception.stacktrace (std::stacktrace or boost::stacktrace text
is read and grouped), app start time, web vitals, long tasks, request phases, session replay.
Set os.name in the resource to the OS you build for.`,
    },
  ];
}

/**
 * Anything else: every OpenTelemetry SDK reads the standard environment variables; a RUM event can also
 * be sent as an OTLP/JSON log record whose EventName names it.
 */
export function customSnippets({ app, endpoint }: SnippetContext): Snippet[] {
  const attr = (key: string, value: string) => `{ "key": "${key}", "value": { "stringValue": "${value}" } }`;
  return [
    {
      id: 'env',
      title: 'Any OpenTelemetry SDK: the standard environment variables',
      language: 'shell',
      code: `export OTEL_EXPORTER_OTLP_ENDPOINT=${endpoint}
export OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf
export OTEL_RESOURCE_ATTRIBUTES=${RUM_APP_ID}=${app.appId},${SERVICE_NAME}=${app.appId}
export OTEL_TRACES_SAMPLER=parentbased_traceidratio
export OTEL_TRACES_SAMPLER_ARG=${app.traceSampleRate}
`,
    },
    {
      id: 'curl',
      title: 'Or by hand: one error event as OTLP/JSON',
      language: 'shell',
      code: `curl -sS -X POST ${endpoint}/v1/logs -H 'Content-Type: application/json' -d '{
  "resourceLogs": [{
    "resource": { "attributes": [${attr(RUM_APP_ID, app.appId)}, ${attr(SERVICE_NAME, app.appId)}] },
    "scopeLogs": [{ "logRecords": [{
      "eventName": "${EventName.EXCEPTION}",
      "attributes": [${attr(SESSION_ID, 'first-session')}, ${attr(EXCEPTION_TYPE, 'Error')},
        ${attr(EXCEPTION_MESSAGE, 'hello from curl')}]
    }] }]
  }]
}'
`,
    },
  ];
}
