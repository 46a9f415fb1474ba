import { MAX_IDEMPOTENCY_KEY_LENGTH, QUERY_API_VERSION } from '@otel-rum/model';
import { MAX_PAGE_SIZE } from '../store/store';
import { DEFAULT_PAGE_SIZE, LIST_PATHS } from './paths';
import { APP_PATHS, APP_SCHEMAS } from '../apps/openapi';
import { SECURITY_SCHEMES, TOKEN_PATHS, TOKEN_SCHEMAS } from '../auth/openapi';
import { METRIC_PATHS, METRIC_SCHEMAS } from '../metrics/openapi';
import { JOURNEY_PATHS, JOURNEY_SCHEMAS } from '../journeys/openapi';
import { JOB_PATHS, JOB_SCHEMAS } from '../jobs/openapi';
import { ERASURE_PATHS, ERASURE_SCHEMAS } from '../privacy/openapi';
import { REPLAY_PATHS, REPLAY_SCHEMAS } from '../replay/openapi';
import { error } from './openapi-parts';

const listParams = [
  { name: 'app_id', in: 'query', schema: { type: 'string' }, description: 'Application id' },
  { name: 'session_id', in: 'query', schema: { type: 'string' } },
  { name: 'view_id', in: 'query', schema: { type: 'string' } },
  { name: 'trace_id', in: 'query', schema: { type: 'string', pattern: '^[0-9a-fA-F]{32}$' } },
  {
    name: 'from',
    in: 'query',
    schema: { type: 'string' },
    description: 'Inclusive start: ISO time or epoch ms',
  },
  { name: 'to', in: 'query', schema: { type: 'string' }, description: 'Exclusive end: ISO time or epoch ms' },
  {
    name: 'filter',
    in: 'query',
    schema: { type: 'string' },
    description:
      'Filter expression, e.g. `status >= 500 and path ~ "/checkout*"` (server/src/query/filter/README.md). On sessions: sessions with any matching event.',
  },
  {
    name: 'sort',
    in: 'query',
    schema: { type: 'string' },
    description:
      'Order: a field, with - for descending. Events: time (default -time), duration, status, value. Sessions: start (default -start), end, duration, views, errors, events.',
  },
  {
    name: 'limit',
    in: 'query',
    schema: { type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE },
  },
  { name: 'cursor', in: 'query', schema: { type: 'string' }, description: 'nextCursor of the previous page' },
];
const page = (item: string) => ({
  type: 'object',
  required: ['items', 'nextCursor'],
  properties: {
    items: { type: 'array', items: { $ref: `#/components/schemas/${item}` } },
    nextCursor: { type: ['string', 'null'] },
  },
});
const ok = (schema: unknown) => ({ description: 'OK', content: { 'application/json': { schema } } });
/** The sender's key of a request, the same on its retries (server/src/ingest/idempotency.ts). */
const idempotencyKey = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  schema: { type: 'string', maxLength: MAX_IDEMPOTENCY_KEY_LENGTH },
  description:
    'A repeat of a request committed with this key (same path, within IDEMPOTENCY_KEY_TTL_MS, among the newest MAX_IDEMPOTENCY_KEYS) is answered as the first and not stored again',
};

const otlp = (signal: string) => ({
  post: {
    tags: ['ingest'],
    security: [],
    parameters: [idempotencyKey] as object[],
    summary: `OTLP/HTTP ${signal} (protobuf or JSON, gzip or deflate); records must name a registered application (rum.app.id) unless they are backend spans or metrics`,
    requestBody: {
      required: true,
      content: {
        'application/x-protobuf': { schema: { type: 'string', format: 'binary' } },
        'application/json': { schema: { type: 'object' } },
      },
    },
    responses: {
      '200': { description: 'Accepted and committed; partialSuccess names rejected records' },
      '400': error,
      '403': {
        ...error,
        description:
          'Every record names an unregistered application, or comes from a page (Origin) its application does not allow',
      },
      '413': error,
      '415': error,
      '429': {
        ...error,
        description: 'An application is over its rate limit; Retry-After says when to retry',
      },
      '503': error,
    },
  },
});

const appIdInPath = {
  name: 'appId',
  in: 'path',
  required: true,
  schema: { type: 'string' },
  description: 'The registered application the data is for',
};
/** Grafana Faro's own transport: its JSON payload. */
const faroCollect = (withKey: boolean) => ({
  post: {
    tags: ['ingest'],
    security: [],
    summary: withKey
      ? "Grafana Faro's payload (what its fetch transport posts and Alloy's faro.receiver takes) for the application in the path"
      : "Grafana Faro's payload, for the application named by Faro's meta.app.name",
    parameters: withKey ? [appIdInPath, idempotencyKey] : [idempotencyKey],
    requestBody: {
      required: true,
      content: { 'application/json': { schema: { type: 'object', required: ['meta'] } } },
    },
    responses: {
      '202': {
        description: 'Accepted and committed; rejected and errorMessage name refused items',
        content: {
          'application/json': {
            schema: {
              type: 'object',
              properties: { rejected: { type: 'integer' }, errorMessage: { type: 'string' } },
            },
          },
        },
      },
      '400': { ...error, description: 'Not a Faro payload: the message names the field' },
      '403': {
        ...error,
        description: 'The application is not registered, or does not allow the page (Origin)',
      },
      '413': error,
      '429': error,
    },
  },
});
/** Grafana Faro's OTLP transport, pointed at an application's collect URL. */
const faroOtlp = (signal: string) => {
  const base = otlp(signal);
  return {
    post: {
      ...base.post,
      summary: `OTLP/HTTP ${signal} of Grafana Faro's OTLP transport; resources without rum.app.id are the application's in the path`,
      parameters: [appIdInPath, idempotencyKey],
    },
  };
};

/** The OpenAPI 3.1 description of the HTTP interface, served at /api/v1/openapi.json. */
export const OPENAPI = {
  openapi: '3.1.0',
  info: {
    title: 'otel-rum server',
    version: QUERY_API_VERSION,
    description:
      'OTLP/HTTP ingest of browser telemetry into the RUM model, and the query and management API over it. Ingest, health and the SDK files are open; everything under /api/v1 (except this document) needs a token.',
  },
  security: [{ bearerAuth: [] }],
  paths: {
    ...APP_PATHS,
    ...TOKEN_PATHS,
    ...METRIC_PATHS,
    ...JOURNEY_PATHS,
    ...JOB_PATHS,
    ...ERASURE_PATHS,
    ...REPLAY_PATHS,
    '/v1/traces': otlp('traces'),
    '/v1/logs': otlp('logs'),
    '/v1/metrics': otlp('metrics'),
    '/collect': faroCollect(false),
    '/collect/{appId}': faroCollect(true),
    '/collect/{appId}/v1/logs': faroOtlp('logs'),
    '/collect/{appId}/v1/traces': faroOtlp('traces'),
    '/healthz': {
      get: {
        tags: ['health'],
        security: [],
        summary: 'The process is alive',
        responses: { '200': { description: 'alive' } },
      },
    },
    '/readyz': {
      get: {
        tags: ['health'],
        security: [],
        summary: 'The store answers',
        responses: { '200': { description: 'ready' }, '503': error },
      },
    },
    '/api/v1/sessions': {
      get: {
        tags: ['query'],
        summary: 'Sessions, newest first',
        parameters: listParams,
        responses: { '200': ok(page('Session')), '400': error },
      },
    },
    '/api/v1/sessions/{id}': {
      get: {
        tags: ['query'],
        summary: 'One session',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }, listParams[0]],
        responses: { '200': ok({ $ref: '#/components/schemas/Session' }), '404': error },
      },
    },
    '/api/v1/sessions/{id}/timeline': {
      get: {
        tags: ['query'],
        summary: 'Every event of a session in time order',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }, listParams[0]],
        responses: {
          '200': ok({
            type: 'object',
            properties: { items: { type: 'array', items: { $ref: '#/components/schemas/Event' } } },
          }),
          '404': error,
        },
      },
    },
    ...Object.fromEntries(
      Object.entries(LIST_PATHS).map(([kind, path]) => [
        `/api/v1/${path}`,
        {
          get: {
            tags: ['query'],
            summary: `Events of kind ${kind}, newest first`,
            parameters: listParams,
            responses: { '200': ok(page('Event')), '400': error },
          },
        },
      ]),
    ),
    '/api/v1/issues': {
      get: {
        tags: ['query'],
        summary:
          'Errors grouped by fingerprint (type, normalised message, top in-app frame), most frequent first',
        parameters: listParams,
        responses: { '200': ok(page('Issue')), '400': error },
      },
    },
    '/api/v1/events/{id}': {
      get: {
        tags: ['query'],
        summary: 'One event of any kind by its id',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { '200': ok({ $ref: '#/components/schemas/Event' }), '404': error },
      },
    },
    '/api/v1/issues/{fingerprint}': {
      get: {
        tags: ['query'],
        summary:
          'One issue, with the URL of its occurrences (the error list filtered on its fingerprint) and its latest stack parsed, each frame marked in-app or not',
        parameters: [
          { name: 'fingerprint', in: 'path', required: true, schema: { type: 'string' } },
          { name: 'app_id', in: 'query', required: true, schema: { type: 'string' } },
        ],
        responses: { '200': ok({ $ref: '#/components/schemas/IssueDetail' }), '400': error, '404': error },
      },
      patch: {
        tags: ['query'],
        summary: 'Set an issue status: open, resolved or ignored (a resolved issue seen again reopens)',
        parameters: [
          { name: 'fingerprint', in: 'path', required: true, schema: { type: 'string' } },
          { name: 'app_id', in: 'query', required: true, schema: { type: 'string' } },
        ],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['status'],
                properties: { status: { enum: ['open', 'resolved', 'ignored'] } },
              },
            },
          },
        },
        responses: { '200': ok({ $ref: '#/components/schemas/Issue' }), '400': error, '404': error },
      },
    },
    '/api/v1/facets': {
      get: {
        tags: ['query'],
        summary: 'Top values of one dimension with their counts',
        parameters: [
          {
            name: 'field',
            in: 'query',
            required: true,
            schema: { type: 'string' },
            description: 'A filter field or attr.<key>',
          },
          { name: 'kind', in: 'query', schema: { type: 'string' } },
          ...listParams,
        ],
        responses: {
          '200': ok({
            type: 'object',
            properties: {
              field: { type: 'string' },
              values: {
                type: 'array',
                items: { type: 'object', properties: { value: {}, count: { type: 'integer' } } },
              },
            },
          }),
          '400': error,
        },
      },
    },
    '/api/v1/aggregate': {
      get: {
        tags: ['query'],
        summary:
          'Time series of a count, rate, sum, average, min, max or percentile, grouped by up to 3 dimensions',
        parameters: [
          { name: 'kind', in: 'query', schema: { type: 'string' } },
          {
            name: 'aggregation',
            in: 'query',
            schema: {
              enum: ['count', 'rate', 'sum', 'avg', 'min', 'max', 'p50', 'p75', 'p90', 'p95', 'p99'],
            },
          },
          {
            name: 'field',
            in: 'query',
            schema: { type: 'string' },
            description: 'Numeric field: duration, value, status or attr.<key>',
          },
          {
            name: 'interval',
            in: 'query',
            schema: { type: 'string', default: '1m' },
            description: '30s, 5m, 1h, 1d...',
          },
          {
            name: 'group_by',
            in: 'query',
            schema: { type: 'string' },
            description: 'Comma-separated fields',
          },
          ...listParams,
        ],
        responses: {
          '200': ok({
            type: 'object',
            properties: {
              aggregation: { type: 'string' },
              intervalS: { type: 'integer' },
              series: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    group: { type: 'object' },
                    points: { type: 'array', items: { type: 'array' } },
                  },
                },
              },
            },
          }),
          '400': error,
        },
      },
    },
    '/api/v1/traces/{traceId}': {
      get: {
        tags: ['query'],
        summary: 'Every span of a trace, browser and backend',
        parameters: [
          {
            name: 'traceId',
            in: 'path',
            required: true,
            schema: { type: 'string', pattern: '^[0-9a-fA-F]{32}$' },
          },
        ],
        responses: {
          '200': ok({
            type: 'object',
            properties: {
              traceId: { type: 'string' },
              spans: { type: 'array', items: { $ref: '#/components/schemas/Span' } },
            },
          }),
          '400': error,
          '404': error,
        },
      },
    },
  },
  components: {
    securitySchemes: SECURITY_SCHEMES,
    responses: {
      Error: {
        description: 'Refused, with the reason',
        content: {
          'application/json': {
            schema: { type: 'object', required: ['error'], properties: { error: { type: 'string' } } },
          },
        },
      },
    },
    schemas: {
      ...APP_SCHEMAS,
      ...TOKEN_SCHEMAS,
      ...METRIC_SCHEMAS,
      ...JOURNEY_SCHEMAS,
      ...JOB_SCHEMAS,
      ...ERASURE_SCHEMAS,
      ...REPLAY_SCHEMAS,
      Issue: {
        type: 'object',
        properties: {
          appId: { type: 'string' },
          fingerprint: { type: 'string' },
          status: { enum: ['open', 'resolved', 'ignored'] },
          regressed: { type: 'boolean' },
          type: { type: ['string', 'null'] },
          message: { type: ['string', 'null'] },
          count: { type: 'integer' },
          sessions: { type: 'integer' },
          firstSeen: { type: 'string', format: 'date-time' },
          lastSeen: { type: 'string', format: 'date-time' },
        },
      },
      IssueDetail: {
        allOf: [
          { $ref: '#/components/schemas/Issue' },
          {
            type: 'object',
            properties: {
              occurrences: { type: 'string', description: 'The error list filtered on the fingerprint' },
              frames: {
                type: 'array',
                description: "The latest occurrence's stack; inApp: in the application's own code",
                items: {
                  type: 'object',
                  properties: {
                    function: { type: ['string', 'null'] },
                    file: { type: ['string', 'null'] },
                    line: { type: ['integer', 'null'] },
                    column: { type: ['integer', 'null'] },
                    inApp: { type: 'boolean' },
                  },
                },
              },
            },
          },
        ],
      },
      Session: {
        type: 'object',
        properties: {
          appId: { type: 'string' },
          sessionId: { type: 'string' },
          start: { type: 'string', format: 'date-time' },
          end: { type: 'string', format: 'date-time' },
          durationMs: { type: 'number' },
          viewCount: { type: 'integer' },
          errorCount: { type: 'integer' },
          actionCount: { type: 'integer' },
          resourceCount: { type: 'integer' },
          eventCount: { type: 'integer' },
          userId: { type: ['string', 'null'] },
          userAgent: { type: ['string', 'null'] },
          firstUrl: { type: ['string', 'null'] },
          environment: { type: ['string', 'null'] },
          serviceVersion: { type: ['string', 'null'] },
        },
      },
      Event: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          kind: { type: 'string', enum: ['session', ...Object.keys(LIST_PATHS)] },
          time: { type: 'string', format: 'date-time' },
          appId: { type: 'string' },
          sessionId: { type: 'string' },
          viewId: { type: ['string', 'null'] },
          traceId: { type: ['string', 'null'] },
          spanId: { type: ['string', 'null'] },
          name: { type: 'string' },
          label: { type: ['string', 'null'] },
          url: { type: ['string', 'null'] },
          path: { type: ['string', 'null'] },
          durationMs: { type: ['number', 'null'] },
          value: { type: ['number', 'null'] },
          status: { type: ['integer', 'null'] },
          serviceName: { type: ['string', 'null'] },
          serviceVersion: { type: ['string', 'null'] },
          environment: { type: ['string', 'null'] },
          userId: { type: ['string', 'null'] },
          source: { type: 'string' },
          type: {
            type: ['string', 'null'],
            description:
              'Which sort of its kind: exception type, resource type, action type, web vital, view loading type',
          },
          fingerprint: { type: ['string', 'null'], description: 'Error group key (errors only)' },
          attributes: { type: 'object' },
        },
      },
      Span: {
        type: 'object',
        properties: {
          traceId: { type: 'string' },
          spanId: { type: 'string' },
          parentSpanId: { type: ['string', 'null'] },
          name: { type: 'string' },
          kind: { type: 'integer' },
          start: { type: 'string', format: 'date-time' },
          durationMs: { type: 'number' },
          statusCode: { type: 'integer' },
          serviceName: { type: ['string', 'null'] },
          scopeName: { type: ['string', 'null'] },
          attributes: { type: 'object' },
          events: { type: 'array' },
        },
      },
    },
  },
} as const;
