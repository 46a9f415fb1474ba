import { MAX_JOURNEY_STEPS, MAX_JOURNEYS } from '@otel-rum/model';
import { MAX_PAGE_SIZE } from '../store/store';
import { DEFAULT_SLOW_RESOURCE_MS, TOP_PER_STEP } from './analysis';
import { MAX_JOURNEY_NAME_LENGTH, MAX_JOURNEY_PATTERN_LENGTH } from './journey';
import { DEFAULT_COMPLETED_PAGE_SIZE, MAX_SLOW_RESOURCE_MS } from './routes';
import { error, json, ref } from '../api/openapi-parts';

/* Journeys in the OpenAPI document (server/src/api/openapi.ts). */

const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };
const pattern = { type: 'string', minLength: 1, maxLength: MAX_JOURNEY_PATTERN_LENGTH };
const nullableNumber = { type: ['number', 'null'] };

const definition = {
  name: { type: 'string', minLength: 1, maxLength: MAX_JOURNEY_NAME_LENGTH },
  appId: {
    type: ['string', 'null'],
    description: 'The application analysed; null: any (or the query app_id)',
  },
  steps: {
    type: 'array',
    minItems: 1,
    maxItems: MAX_JOURNEY_STEPS,
    items: ref('JourneyStep'),
  },
};

export const JOURNEY_SCHEMAS = {
  JourneyStep: {
    oneOf: [
      {
        type: 'object',
        required: ['type', 'path'],
        properties: {
          type: { const: 'view' },
          path: {
            ...pattern,
            description: 'URL path glob: * any run of characters, ? one; \\* \\? \\\\ literal',
          },
        },
      },
      {
        type: 'object',
        required: ['type', 'name'],
        properties: { type: { const: 'action' }, name: { ...pattern, description: 'Action name glob' } },
      },
    ],
  },
  JourneyInput: { type: 'object', required: ['name', 'steps'], properties: definition },
  Journey: {
    type: 'object',
    properties: {
      id: { type: 'string' },
      ...definition,
      createdAt: { type: 'string', format: 'date-time' },
      updatedAt: { type: 'string', format: 'date-time' },
    },
  },
  JourneyAnalysis: {
    type: 'object',
    properties: {
      journey: ref('Journey'),
      from: { type: 'string', format: 'date-time' },
      to: { type: 'string', format: 'date-time' },
      appId: { type: ['string', 'null'] },
      slowResourceMs: { type: 'integer' },
      steps: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            index: { type: 'integer', description: '1-based' },
            step: ref('JourneyStep'),
            sessions: {
              type: 'integer',
              description: 'Sessions that reached this step after all earlier ones, in order',
            },
            conversionFromPrevious: nullableNumber,
            conversionFromFirst: nullableNumber,
            dropOff: {
              type: ['integer', 'null'],
              description: 'Reached this step and not the next; null on the last',
            },
            dropOffRate: nullableNumber,
            medianMsFromPrevious: nullableNumber,
            errors: {
              type: 'object',
              description: `Errors while at this step (from reaching it until reaching the next); top ${TOP_PER_STEP} groups`,
              properties: {
                count: { type: 'integer' },
                sessions: { type: 'integer' },
                top: {
                  type: 'array',
                  items: {
                    type: 'object',
                    properties: {
                      message: { type: ['string', 'null'] },
                      fingerprint: { type: ['string', 'null'] },
                      count: { type: 'integer' },
                    },
                  },
                },
              },
            },
            slowResources: {
              type: 'object',
              description: `Resources slower than slowResourceMs while at this step; top ${TOP_PER_STEP} URLs`,
              properties: {
                count: { type: 'integer' },
                sessions: { type: 'integer' },
                top: {
                  type: 'array',
                  items: {
                    type: 'object',
                    properties: {
                      url: { type: ['string', 'null'] },
                      count: { type: 'integer' },
                      avgDurationMs: { type: 'number' },
                      maxDurationMs: { type: 'number' },
                    },
                  },
                },
              },
            },
          },
        },
      },
      completed: {
        type: 'object',
        description: 'Sessions that reached the last step, most recent first',
        properties: {
          items: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                appId: { type: 'string' },
                sessionId: { type: 'string' },
                startedAt: { type: 'string', format: 'date-time' },
                completedAt: { type: 'string', format: 'date-time' },
                durationMs: { type: 'number' },
              },
            },
          },
          nextCursor: { type: ['string', 'null'] },
        },
      },
      dropped: {
        type: ['object', 'null'],
        description:
          'With dropped_at k: sessions that reached step k and not k + 1, most recent arrival first (completedAt: when they reached step k)',
        properties: {
          step: { type: 'integer' },
          items: { type: 'array', items: { type: 'object' } },
          nextCursor: { type: ['string', 'null'] },
        },
      },
    },
  },
};

export const JOURNEY_PATHS = {
  '/api/v1/journeys': {
    get: {
      tags: ['journeys'],
      summary: 'Journeys (of one application and the unscoped ones, with app_id)',
      parameters: [{ name: 'app_id', in: 'query', schema: { type: 'string' } }],
      responses: {
        '200': {
          description: 'OK',
          content: json({ type: 'object', properties: { items: { type: 'array', items: ref('Journey') } } }),
        },
        '400': error,
      },
    },
    post: {
      tags: ['journeys'],
      summary: `Create a journey (admin); at most ${MAX_JOURNEYS}`,
      requestBody: { required: true, content: json(ref('JourneyInput')) },
      responses: {
        '201': { description: 'Created', content: json(ref('Journey')) },
        '400': error,
        '409': error,
      },
    },
  },
  '/api/v1/journeys/{id}': {
    get: {
      tags: ['journeys'],
      summary: 'One journey',
      parameters: [idParam],
      responses: { '200': { description: 'OK', content: json(ref('Journey')) }, '404': error },
    },
    put: {
      tags: ['journeys'],
      summary: 'Replace a journey (admin)',
      parameters: [idParam],
      requestBody: { required: true, content: json(ref('JourneyInput')) },
      responses: { '200': { description: 'OK', content: json(ref('Journey')) }, '400': error, '404': error },
    },
    delete: {
      tags: ['journeys'],
      summary: 'Delete a journey (admin)',
      parameters: [idParam],
      responses: { '204': { description: 'Deleted' }, '404': error },
    },
  },
  '/api/v1/journeys/{id}/analysis': {
    get: {
      tags: ['journeys'],
      summary: 'Conversion, drop-off, errors and slow resources per step, and the sessions that completed it',
      parameters: [
        idParam,
        {
          name: 'app_id',
          in: 'query',
          schema: { type: 'string' },
          description: "Must match the journey's appId",
        },
        {
          name: 'from',
          in: 'query',
          schema: { type: 'string' },
          description: 'Inclusive; default 7 days before to',
        },
        { name: 'to', in: 'query', schema: { type: 'string' }, description: 'Exclusive; default now' },
        {
          name: 'slow_ms',
          in: 'query',
          schema: {
            type: 'integer',
            minimum: 1,
            maximum: MAX_SLOW_RESOURCE_MS,
            default: DEFAULT_SLOW_RESOURCE_MS,
          },
          description: 'A resource slower than this counts as slow',
        },
        {
          name: 'limit',
          in: 'query',
          schema: {
            type: 'integer',
            minimum: 1,
            maximum: MAX_PAGE_SIZE,
            default: DEFAULT_COMPLETED_PAGE_SIZE,
          },
          description: 'Completed sessions per page',
        },
        {
          name: 'dropped_at',
          in: 'query',
          schema: { type: 'integer', minimum: 1, maximum: MAX_JOURNEY_STEPS - 1 },
          description:
            'List in `dropped` the sessions that reached this step and not the next (at most steps − 1)',
        },
        {
          name: 'cursor',
          in: 'query',
          schema: { type: 'string' },
          description: 'completed.nextCursor, or dropped.nextCursor with dropped_at',
        },
      ],
      responses: {
        '200': { description: 'OK', content: json(ref('JourneyAnalysis')) },
        '400': error,
        '404': error,
      },
    },
  },
  '/api/v1/journeys/from-session/{sessionId}': {
    post: {
      tags: ['journeys'],
      summary:
        "Create a journey from a session's views in order (admin): route templates or id-like path segments become *, repeats are dropped",
      parameters: [{ name: 'sessionId', in: 'path', required: true, schema: { type: 'string' } }],
      requestBody: {
        required: false,
        content: json({
          type: 'object',
          properties: {
            name: { type: 'string' },
            appId: { type: 'string', description: 'When the id is in several apps' },
          },
        }),
      },
      responses: {
        '201': {
          description: 'Created',
          content: json({
            allOf: [
              ref('Journey'),
              { properties: { warnings: { type: 'array', items: { type: 'string' } } } },
            ],
          }),
        },
        '400': error,
        '404': { ...error, description: 'The session has no views' },
      },
    },
  },
};
