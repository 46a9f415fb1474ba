import { ROLES, MAX_TOKEN_NAME_LENGTH } from './token';
import { error, json } from '../api/openapi-parts';

/* Tokens and the security scheme in the OpenAPI document (server/src/api/openapi.ts). */

export const SECURITY_SCHEMES = {
  bearerAuth: {
    type: 'http',
    scheme: 'bearer',
    description:
      'An API token (Authorization: Bearer <token>). Role read: GET of the query API. Role admin: everything, including applications, tokens and every change. Without a token 401; with too weak a role 403.',
  },
};

export const TOKEN_SCHEMAS = {
  ApiToken: {
    type: 'object',
    required: ['id', 'name', 'role', 'createdAt'],
    properties: {
      id: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string', enum: [...ROLES] },
      createdAt: { type: 'string', format: 'date-time' },
    },
  },
};

export const TOKEN_PATHS = {
  '/api/v1/tokens': {
    get: {
      tags: ['management'],
      summary: 'API tokens, without their secrets (admin)',
      responses: {
        '200': {
          description: 'OK',
          content: json({
            type: 'object',
            properties: { items: { type: 'array', items: { $ref: '#/components/schemas/ApiToken' } } },
          }),
        },
        '401': error,
        '403': error,
      },
    },
    post: {
      tags: ['management'],
      summary: 'Create a token (admin); its secret is in this answer only, the server keeps its sha256',
      requestBody: {
        required: true,
        content: json({
          type: 'object',
          required: ['name', 'role'],
          additionalProperties: false,
          properties: {
            name: { type: 'string', minLength: 1, maxLength: MAX_TOKEN_NAME_LENGTH },
            role: { type: 'string', enum: [...ROLES] },
          },
        }),
      },
      responses: {
        '201': {
          description: 'Created',
          content: json({
            allOf: [
              { $ref: '#/components/schemas/ApiToken' },
              { type: 'object', required: ['token'], properties: { token: { type: 'string' } } },
            ],
          }),
        },
        '400': error,
        '401': error,
        '403': error,
      },
    },
  },
  '/api/v1/tokens/{id}': {
    delete: {
      tags: ['management'],
      summary:
        'Delete a token (admin); it stops working at once. The last admin token cannot be deleted (409)',
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
      responses: { '204': { description: 'Deleted' }, '404': error, '409': error },
    },
  },
};
