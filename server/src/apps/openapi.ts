import {
  APP_ID_PATTERN,
  DEFAULT_APP_EVENT_BURST,
  DEFAULT_APP_EVENTS_PER_SECOND,
  DEFAULT_RETENTION_DAYS,
  MAX_ALLOWED_ORIGINS,
  MAX_APP_EVENTS_PER_SECOND,
  MAX_APP_NAME_LENGTH,
  MAX_LINKED_DASHBOARDS,
  MAX_RETENTION_DAYS,
} from '@otel-rum/model';
import { APP_TYPES } from './application';
import { MAX_APP_EVENT_BURST, MAX_DASHBOARD_TITLE_LENGTH } from './validate';
import { error, json, ref } from '../api/openapi-parts';

/* The management API of applications in the OpenAPI document (server/src/api/openapi.ts). */

const appIdParam = {
  name: 'appId',
  in: 'path',
  required: true,
  schema: { type: 'string', pattern: APP_ID_PATTERN.source },
};
const rate = (what: string) => ({ type: 'number', minimum: 0, maximum: 1, description: what });

const fields = {
  appId: {
    type: 'string',
    pattern: APP_ID_PATTERN.source,
    description:
      'Unique; sent by SDKs as the resource attribute rum.app.id. Changing it keeps the data received so far under the old id.',
  },
  name: { type: 'string', minLength: 1, maxLength: MAX_APP_NAME_LENGTH },
  type: { type: 'string', enum: [...APP_TYPES] },
  allowedOrigins: {
    type: 'array',
    maxItems: MAX_ALLOWED_ORIGINS,
    items: { type: 'string' },
    description:
      "Pages that may send this application's data from a browser: exact origins (https://shop.example.com), wildcard subdomains (https://*.example.com), 'self' (pages served by this server) or '*'. Senders without an Origin header (mobile SDKs, collectors) are not checked.",
    default: [],
  },
  sessionSampleRate: { ...rate('Share of sessions recorded'), default: 1 },
  traceSampleRate: { ...rate('Share of requests traced'), default: 1 },
  replaySampleRate: { ...rate('Share of sessions with replay'), default: 0 },
  retentionDays: {
    type: 'integer',
    minimum: 1,
    maximum: MAX_RETENTION_DAYS,
    default: DEFAULT_RETENTION_DAYS,
    description:
      'Days of data kept: 3, 7 or 14 are the usual choices; any whole number up to the maximum works',
  },
  dashboards: {
    type: 'array',
    maxItems: MAX_LINKED_DASHBOARDS,
    items: ref('DashboardLink'),
    default: [],
  },
  rateLimit: {
    oneOf: [{ type: 'null' }, ref('RateLimit')],
    default: null,
    description: `Ingest limit of this application; null for the defaults (${DEFAULT_APP_EVENTS_PER_SECOND} events/s, burst ${DEFAULT_APP_EVENT_BURST}). Over it, ingest answers 429 with Retry-After.`,
  },
};

export const APP_SCHEMAS = {
  DashboardLink: {
    type: 'object',
    required: ['title'],
    additionalProperties: false,
    description: 'A Grafana dashboard linked from the application: by uid, by URL, or both',
    properties: {
      title: { type: 'string', minLength: 1, maxLength: MAX_DASHBOARD_TITLE_LENGTH },
      uid: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,40}$' },
      url: { type: 'string', description: 'http(s) URL or a path starting with /' },
    },
  },
  RateLimit: {
    type: 'object',
    required: ['eventsPerSecond', 'burst'],
    additionalProperties: false,
    properties: {
      eventsPerSecond: { type: 'number', exclusiveMinimum: 0, maximum: MAX_APP_EVENTS_PER_SECOND },
      burst: { type: 'integer', minimum: 1, maximum: MAX_APP_EVENT_BURST },
    },
  },
  ApplicationInput: {
    type: 'object',
    required: ['appId', 'name', 'type'],
    additionalProperties: false,
    properties: fields,
  },
  ApplicationPatch: {
    type: 'object',
    additionalProperties: false,
    description: 'Fields to change; a new appId renames the application',
    properties: fields,
  },
  Application: {
    type: 'object',
    required: [...Object.keys(fields), 'previousAppIds', 'createdAt', 'updatedAt'],
    properties: {
      ...fields,
      previousAppIds: {
        type: 'array',
        items: { type: 'string' },
        description: 'Ids this application had before; their data stays under them',
      },
      createdAt: { type: 'string', format: 'date-time' },
      updatedAt: { type: 'string', format: 'date-time' },
    },
  },
  ChangeWarning: {
    type: 'object',
    required: ['code', 'message'],
    properties: {
      code: { type: 'string', enum: ['sdk_config', 'monitors', 'dashboards', 'history'] },
      message: { type: 'string' },
    },
  },
  Snippet: {
    type: 'object',
    required: ['id', 'title', 'language', 'code'],
    properties: {
      id: { type: 'string', description: 'install, npm, cdn, init, env, curl, gradle, package, cmake' },
      title: { type: 'string' },
      language: { type: 'string' },
      code: { type: 'string' },
    },
  },
};

export const APP_PATHS = {
  '/api/v1/apps': {
    get: {
      tags: ['management'],
      summary: 'Registered applications (admin)',
      responses: {
        '200': {
          description: 'OK',
          content: json({
            type: 'object',
            properties: { items: { type: 'array', items: ref('Application') } },
          }),
        },
        '401': error,
        '403': error,
      },
    },
    post: {
      tags: ['management'],
      summary: 'Register an application (admin)',
      requestBody: { required: true, content: json(ref('ApplicationInput')) },
      responses: {
        '201': { description: 'Created', content: json(ref('Application')) },
        '400': error,
        '401': error,
        '403': error,
        '409': { ...error, description: 'The appId is taken, now or by the history of another application' },
        '415': error,
      },
    },
  },
  '/api/v1/apps/{appId}': {
    parameters: [appIdParam],
    get: {
      tags: ['management'],
      summary: 'One application (admin)',
      responses: { '200': { description: 'OK', content: json(ref('Application')) }, '404': error },
    },
    patch: {
      tags: ['management'],
      summary: 'Change an application (admin); a new appId renames it and answers with what to update',
      requestBody: { required: true, content: json(ref('ApplicationPatch')) },
      responses: {
        '200': {
          description: 'Changed',
          content: json({
            type: 'object',
            required: ['application', 'warnings'],
            properties: {
              application: ref('Application'),
              warnings: { type: 'array', items: ref('ChangeWarning') },
            },
          }),
        },
        '400': error,
        '404': error,
        '409': error,
      },
    },
    delete: {
      tags: ['management'],
      summary: 'Unregister an application (admin); its data is refused from then on, stored data is kept',
      responses: { '204': { description: 'Deleted' }, '404': error },
    },
  },
  '/api/v1/apps/{appId}/snippet': {
    parameters: [appIdParam],
    get: {
      tags: ['management'],
      summary:
        'Integration snippets for the application (admin), filled in with its id, sample rates and the public URL',
      parameters: [
        {
          name: 'type',
          in: 'query',
          schema: { type: 'string', enum: [...APP_TYPES] },
          description: "Platform; the application's own type when absent",
        },
      ],
      responses: {
        '200': {
          description: 'OK',
          content: json({
            type: 'object',
            properties: {
              appId: { type: 'string' },
              type: { type: 'string', enum: [...APP_TYPES] },
              endpoint: { type: 'string', description: 'OTLP/HTTP base URL the snippets send to' },
              snippets: { type: 'array', items: ref('Snippet') },
            },
          }),
        },
        '400': error,
        '404': error,
        '503': { ...error, description: 'The browser SDK is not built (web snippets inline its loader)' },
      },
    },
  },
  '/sdk/otel-rum.min.js': {
    get: {
      tags: ['sdk'],
      security: [],
      summary: 'The browser SDK bundle that the CDN snippet loads',
      responses: { '200': { description: 'JavaScript' }, '503': error },
    },
  },
  '/sdk/otel-rum-replay.min.js': {
    get: {
      tags: ['sdk'],
      security: [],
      summary:
        'The session replay recorder (rrweb), which the SDK bundle loads from beside itself only for sessions sampled for replay',
      responses: { '200': { description: 'JavaScript' }, '503': error },
    },
  },
};
