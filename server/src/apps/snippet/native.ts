import {
  EXCEPTION_MESSAGE,
  EXCEPTION_TYPE,
  EventName,
  RUM_APP_ID,
  SERVICE_NAME,
  SESSION_ID,
} from '@otel-rum/model';
import type { Snippet, SnippetContext } from './snippet';

/*
 * Native platforms: the OpenTelemetry SDK of each, exporting OTLP/HTTP to this server with the
 * application id as the resource attribute rum.app.id. App ids are letters, digits and underscore, so
 * they need no escaping in any of these languages; the endpoint is a validated URL.
 */

/** Android: the OpenTelemetry Android agent (crashes, ANRs, activities, sessions) over OTLP/HTTP. */
export function androidSnippets({ app, endpoint }: SnippetContext): Snippet[] {
  return [
    {
      id: 'gradle',
      title: 'app/build.gradle.kts (take the newest release of opentelemetry-android)',
      language: 'kotlin',
      code: `dependencies {\n    implementation("io.opentelemetry.android:android-agent:1.0.0-rc.1")\n}\n`,
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
  ];
}

/** iOS and macOS: opentelemetry-swift with its OTLP/HTTP trace exporter. */
export function appleSnippets({ app, endpoint }: SnippetContext): Snippet[] {
  return [
    {
      id: 'package',
      title: 'Package.swift (or File > Add Package Dependencies in Xcode)',
      language: 'swift',
      code: `.package(url: "https://github.com/open-telemetry/opentelemetry-swift", from: "2.0.0"),
// target dependencies:
.product(name: "OpenTelemetrySdk", package: "opentelemetry-swift"),
.product(name: "OpenTelemetryProtocolExporterHTTP", package: "opentelemetry-swift"),
`,
    },
    {
      id: 'init',
      title: 'At launch (App init or application(_:didFinishLaunchingWithOptions:))',
      language: 'swift',
      code: `import Foundation
import OpenTelemetryApi
import OpenTelemetrySdk
import OpenTelemetryProtocolExporterHttp

func startTelemetry() {
    let exporter = OtlpHttpTraceExporter(endpoint: URL(string: "${endpoint}/v1/traces")!)
    let provider = TracerProviderBuilder()
        .add(spanProcessor: BatchSpanProcessor(spanExporter: exporter))
        .with(resource: Resource(attributes: [
            "${RUM_APP_ID}": .string("${app.appId}"),
            "${SERVICE_NAME}": .string("${app.appId}"),
        ]))
        .with(sampler: Samplers.parentBased(root: Samplers.traceIdRatio(ratio: ${app.traceSampleRate})))
        .build()
    OpenTelemetry.registerTracerProvider(tracerProvider: provider)
}
`,
    },
  ];
}

/** Flutter: the Dart opentelemetry package, whose CollectorExporter sends OTLP/HTTP protobuf. */
export function flutterSnippets({ app, endpoint }: SnippetContext): Snippet[] {
  // The package has no ratio sampler: a rate of 0 turns tracing off, anything else keeps every trace.
  const sampler = app.traceSampleRate > 0 ? 'AlwaysOnSampler()' : 'AlwaysOffSampler()';
  return [
    { id: 'install', title: 'Add the package', language: 'shell', code: 'flutter pub add opentelemetry' },
    {
      id: 'init',
      title: 'Call startTelemetry() in main() before runApp',
      language: 'dart',
      code: `import 'package:opentelemetry/api.dart' as otel;
import 'package:opentelemetry/sdk.dart' as otel_sdk;

void startTelemetry() {
  final provider = otel_sdk.TracerProviderBase(
    processors: [
      otel_sdk.BatchSpanProcessor(
          otel_sdk.CollectorExporter(Uri.parse('${endpoint}/v1/traces'))),
    ],
    resource: otel_sdk.Resource([
      otel.Attribute.fromString('${RUM_APP_ID}', '${app.appId}'),
      otel.Attribute.fromString('${SERVICE_NAME}', '${app.appId}'),
    ]),
    sampler: otel_sdk.ParentBasedSampler(otel_sdk.${sampler}),
  );
  otel.registerGlobalTracerProvider(provider);
}
`,
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
      {{"${RUM_APP_ID}", "${app.appId}"}, {"${SERVICE_NAME}", "${app.appId}"}});
  auto sampler = sdktrace::ParentBasedSamplerFactory::Create(
      sdktrace::TraceIdRatioBasedSamplerFactory::Create(${app.traceSampleRate}));
  std::shared_ptr<opentelemetry::trace::TracerProvider> provider =
      sdktrace::TracerProviderFactory::Create(std::move(processor), resource, std::move(sampler));
  opentelemetry::trace::Provider::SetTracerProvider(provider);
}
`,
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
