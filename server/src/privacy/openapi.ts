import { error, json } from '../api/openapi-parts';

/* Erasure in the OpenAPI document (server/src/api/openapi.ts). */

export const ERASURE_SCHEMAS = {
  ErasureResult: {
    type: 'object',
    required: ['appId', 'subject', 'sessions', 'deleted'],
    properties: {
      appId: { type: 'string' },
      subject: { type: 'string', enum: ['user', 'session'] },
      sessions: { type: 'integer', description: 'Sessions erased' },
      deleted: {
        type: 'object',
        additionalProperties: { type: 'integer' },
        description:
          "Rows deleted, by table (the DuckDB store's table names, on either store: a session or view counts once)",
      },
    },
  },
};

export const ERASURE_PATHS = {
  '/api/v1/erasure': {
    post: {
      tags: ['management'],
      summary:
        "Erase everything stored of one user id or one session of an application (admin): the user's sessions whole, their events, summaries, replay recordings, the spans of their traces and the metric points that name them; logged as an audit line",
      requestBody: {
        required: true,
        content: json({
          type: 'object',
          required: ['appId'],
          properties: {
            appId: { type: 'string' },
            userId: { type: 'string', description: 'user.id; give this or sessionId' },
            sessionId: { type: 'string', description: 'session.id; give this or userId' },
          },
        }),
      },
      responses: {
        '200': {
          description: 'What was deleted',
          content: json({ $ref: '#/components/schemas/ErasureResult' }),
        },
        '400': error,
      },
    },
  },
};
