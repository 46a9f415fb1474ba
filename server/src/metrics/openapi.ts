import {
  EVENT_KINDS,
  MAX_FILTER_LENGTH,
  MAX_GENERATED_METRIC_DIMENSIONS,
  MAX_GENERATED_METRIC_INTERVAL_S,
  MAX_GENERATED_METRIC_RULES,
  MIN_GENERATED_METRIC_INTERVAL_S,
} from '@otel-rum/model';
import { DROP_REASONS } from './engine';
import {
  METRIC_RULE_AGGREGATIONS,
  MAX_METRIC_RULE_DESCRIPTION_LENGTH,
  MAX_METRIC_RULE_NAME_LENGTH,
} from '@otel-rum/model';
import { DEFAULT_SERIES_QUERY_BUCKETS, MAX_SERIES_QUERY_BUCKETS } from './routes';
import { error, json, ref } from '../api/openapi-parts';

/* Generated metrics in the OpenAPI document (server/src/api/openapi.ts). */

const nameParam = {
  name: 'name',
  in: 'path',
  required: true,
  schema: { type: 'string', pattern: '^[a-zA-Z_:][a-zA-Z0-9_:]*$' },
};

const ruleFields = {
  name: {
    type: 'string',
    pattern: '^[a-zA-Z_:][a-zA-Z0-9_:]*$',
    maxLength: MAX_METRIC_RULE_NAME_LENGTH,
    description:
      'Prometheus metric name; not starting with __ or rum_generated_metrics_. Counters usually end in _total.',
  },
  description: {
    type: ['string', 'null'],
    maxLength: MAX_METRIC_RULE_DESCRIPTION_LENGTH,
    description: 'HELP text',
  },
  kind: { type: 'string', enum: [...EVENT_KINDS], description: 'Event kind the rule looks at' },
  filter: {
    type: 'string',
    maxLength: MAX_FILTER_LENGTH,
    default: '',
    description: 'Filter expression (server/src/query/filter/README.md); has_replay is not available here',
  },
  aggregation: {
    type: 'string',
    enum: [...METRIC_RULE_AGGREGATIONS],
    description:
      'count and sum: Prometheus counters since the series began; avg: gauge over the current interval; percentile: summary with a quantile over the current interval plus _sum and _count',
  },
  field: {
    type: ['string', 'null'],
    description: 'Numeric field for sum, avg and percentile: duration, value, status or attr."<key>"',
  },
  percentile: {
    type: ['number', 'null'],
    minimum: 0,
    maximum: 100,
    description: 'For percentile: 95 is p95',
  },
  dimensions: {
    type: 'array',
    maxItems: MAX_GENERATED_METRIC_DIMENSIONS,
    items: {
      oneOf: [
        { type: 'string', description: 'A filter field (path, status, browser...) or attr."<key>"' },
        {
          type: 'object',
          required: ['field'],
          properties: {
            field: { type: 'string' },
            label: { type: 'string', pattern: '^[a-zA-Z_][a-zA-Z0-9_]*$' },
          },
        },
      ],
    },
    description:
      'Group-by dimensions, each a Prometheus label (the field name, or the attribute key made safe)',
  },
  intervalSeconds: {
    type: 'integer',
    minimum: MIN_GENERATED_METRIC_INTERVAL_S,
    maximum: MAX_GENERATED_METRIC_INTERVAL_S,
    description: 'Bucket width of the stored series, aligned to the epoch',
  },
};

export const METRIC_SCHEMAS = {
  MetricRuleInput: {
    type: 'object',
    required: ['name', 'kind', 'aggregation', 'intervalSeconds'],
    properties: ruleFields,
  },
  MetricRule: {
    type: 'object',
    properties: {
      ...ruleFields,
      dimensions: {
        type: 'array',
        items: { type: 'object', properties: { field: { type: 'string' }, label: { type: 'string' } } },
      },
      createdAt: { type: 'string', format: 'date-time' },
      updatedAt: { type: 'string', format: 'date-time' },
      series: { type: 'integer', description: 'Label sets held (at most MAX_GENERATED_METRIC_SERIES)' },
      droppedEvents: {
        type: 'object',
        properties: Object.fromEntries(DROP_REASONS.map((r) => [r, { type: 'integer' }])),
        description: 'Matching events not added since the server started, by reason',
      },
    },
  },
};

export const METRIC_PATHS = {
  '/metrics': {
    get: {
      tags: ['metrics'],
      security: [],
      summary: 'Generated metrics in the Prometheus text exposition format (0.0.4), for scraping',
      responses: { '200': { description: 'OK', content: { 'text/plain': { schema: { type: 'string' } } } } },
    },
  },
  '/api/v1/metrics/rules': {
    get: {
      tags: ['metrics'],
      summary: 'Generated metric rules',
      responses: {
        '200': {
          description: 'OK',
          content: json({
            type: 'object',
            properties: { items: { type: 'array', items: ref('MetricRule') } },
          }),
        },
      },
    },
    post: {
      tags: ['metrics'],
      summary: `Create a rule (admin); at most ${MAX_GENERATED_METRIC_RULES}`,
      requestBody: { required: true, content: json(ref('MetricRuleInput')) },
      responses: {
        '201': { description: 'Created', content: json(ref('MetricRule')) },
        '400': error,
        '409': {
          ...error,
          description: 'The name, or a sample name it exposes, is taken; or too many rules',
        },
      },
    },
  },
  '/api/v1/metrics/rules/{name}': {
    get: {
      tags: ['metrics'],
      summary: 'One rule',
      parameters: [nameParam],
      responses: { '200': { description: 'OK', content: json(ref('MetricRule')) }, '404': error },
    },
    put: {
      tags: ['metrics'],
      summary:
        'Replace a rule (admin). When what it measures changes, its stored series are discarded and a warning says so',
      parameters: [nameParam],
      requestBody: { required: true, content: json(ref('MetricRuleInput')) },
      responses: {
        '200': {
          description: 'OK',
          content: json({
            allOf: [
              ref('MetricRule'),
              { properties: { warnings: { type: 'array', items: { type: 'string' } } } },
            ],
          }),
        },
        '400': error,
        '404': error,
        '409': error,
      },
    },
    delete: {
      tags: ['metrics'],
      summary: 'Delete a rule and its stored series (admin)',
      parameters: [nameParam],
      responses: { '204': { description: 'Deleted' }, '404': error },
    },
  },
  '/api/v1/metrics/rules/{name}/series': {
    get: {
      tags: ['metrics'],
      summary: `The rule's stored buckets as time series, one per label set (at most ${MAX_SERIES_QUERY_BUCKETS} intervals)`,
      parameters: [
        nameParam,
        {
          name: 'from',
          in: 'query',
          schema: { type: 'string' },
          description: `Inclusive start: ISO time or epoch ms; default ${DEFAULT_SERIES_QUERY_BUCKETS} intervals before to`,
        },
        { name: 'to', in: 'query', schema: { type: 'string' }, description: 'Exclusive end; default now' },
      ],
      responses: {
        '200': {
          description: 'OK',
          content: json({
            type: 'object',
            properties: {
              rule: { type: 'string' },
              aggregation: { type: 'string' },
              intervalSeconds: { type: 'integer' },
              from: { type: 'string', format: 'date-time' },
              to: { type: 'string', format: 'date-time' },
              series: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    labels: { type: 'object', additionalProperties: { type: 'string' } },
                    points: {
                      type: 'array',
                      items: {
                        type: 'object',
                        properties: {
                          time: { type: 'string', format: 'date-time', description: 'Bucket start' },
                          value: { type: ['number', 'null'] },
                          count: { type: 'integer', description: 'Events in the bucket' },
                        },
                      },
                    },
                  },
                },
              },
            },
          }),
        },
        '400': error,
        '404': error,
      },
    },
  },
};
