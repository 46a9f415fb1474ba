import { HttpError } from '../http/http-error';
import { readJsonBody } from '../http/json-body';
import { sendJson, type Router } from '../http/router';
import type { TokenRegistry } from './registry';
import { MAX_TOKEN_NAME_LENGTH, ROLES, type Role } from './token';

/** The management API of tokens: POST/GET /api/v1/tokens, DELETE /api/v1/tokens/{id} (all admin). */
export function addTokenRoutes(router: Router, tokens: TokenRegistry): void {
  router.add('GET', '/api/v1/tokens', ({ res }) => sendJson(res, 200, { items: tokens.list() }));

  router.add('POST', '/api/v1/tokens', async ({ req, res }) => {
    const body = await readJsonBody(req);
    for (const key of Object.keys(body))
      if (key !== 'name' && key !== 'role')
        throw new HttpError(400, `unknown field "${key}"; known: name, role`);
    if (typeof body.name !== 'string' || body.name.trim() === '' || body.name.length > MAX_TOKEN_NAME_LENGTH)
      throw new HttpError(
        400,
        `name must be a non-empty string of at most ${MAX_TOKEN_NAME_LENGTH} characters`,
      );
    if (!ROLES.includes(body.role as Role))
      throw new HttpError(400, `role must be one of ${ROLES.join(', ')}, got ${JSON.stringify(body.role)}`);
    const { token, secret } = await tokens.create(body.name.trim(), body.role as Role);
    sendJson(res, 201, { ...token, token: secret });
  });

  router.add('DELETE', '/api/v1/tokens/:id', async ({ res, params }) => {
    await tokens.delete(params.id!);
    res.writeHead(204).end();
  });
}
