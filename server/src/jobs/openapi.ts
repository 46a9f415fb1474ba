import { DEFAULT_RETENTION_DAYS } from '@otel-rum/model';
import { GENERATED_METRIC_RETENTION_DAYS } from './retention';
import { DEFAULT_USAGE_SPAN_DAYS, MAX_USAGE_SPAN_DAYS } from './routes';
import { error, json } from '../api/openapi-parts';

/* Usage and retention in the OpenAPI document (server/src/api/openapi.ts). */

const count = { type: 'integer' };

export const JOB_SCHEMAS = {
  UsageDay: {
    type: 'object',
    properties: {
      appId: { type: 'string' },
      day: { type: 'string', format: 'date', description: 'UTC day' },
      pageViews: { type: 'integer', description: 'Distinct views shown that day' },
      sessions: { type: 'integer', description: 'Distinct sessions with any event that day' },
      replayMinutes: { type: 'number', description: 'Sum of replay segment lengths (end_ms - start_ms)' },
    },
  },
  RetentionRun: {
    type: 'object',
    properties: {
      ranAt: { type: 'string', format: 'date-time' },
      durationMs: { type: 'number' },
      defaultDays: { type: 'integer', description: 'Window of app ids without an application' },
      unattributedDays: {
        type: 'integer',
        description: 'Window of data without an app id (the longest window)',
      },
      deleted: {
        type: 'object',
        properties: {
          events: count,
          sessions: { ...count, description: 'Session summaries (a session goes when its last event does)' },
          views: { ...count, description: 'View summaries (a view goes when its start does)' },
          spans: count,
          metricPoints: count,
          generatedMetricBuckets: count,
          replaySegments: count,
        },
      },
    },
  },
};

export const JOB_PATHS = {
  '/api/v1/usage': {
    get: {
      tags: ['management'],
      summary: 'Daily usage per application: page views, sessions, replay minutes',
      parameters: [
        {
          name: 'app_id',
          in: 'query',
          schema: { type: 'string' },
          description: 'One application; default all',
        },
        {
          name: 'from',
          in: 'query',
          schema: { type: 'string' },
          description: `ISO date or time, or epoch ms; default ${DEFAULT_USAGE_SPAN_DAYS} days before to`,
        },
        { name: 'to', in: 'query', schema: { type: 'string' }, description: 'Exclusive; default now' },
      ],
      responses: {
        '200': {
          description: `Days that overlap from..to (at most ${MAX_USAGE_SPAN_DAYS} days), oldest first`,
          content: json({
            type: 'object',
            properties: {
              from: { type: 'string', format: 'date-time' },
              to: { type: 'string', format: 'date-time' },
              items: { type: 'array', items: { $ref: '#/components/schemas/UsageDay' } },
            },
          }),
        },
        '400': error,
      },
    },
  },
  '/api/v1/retention/run': {
    post: {
      tags: ['management'],
      summary: `Apply retention now (admin): events, spans and metric points past their application's retentionDays (default ${DEFAULT_RETENTION_DAYS}), generated metric buckets past ${GENERATED_METRIC_RETENTION_DAYS} days`,
      responses: {
        '200': {
          description: 'What was deleted',
          content: json({ $ref: '#/components/schemas/RetentionRun' }),
        },
      },
    },
  },
};
