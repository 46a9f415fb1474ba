import { APP_ID_PATTERN } from '@otel-rum/model';
import { HttpError } from '../http/http-error';
import { readJsonBody } from '../http/json-body';
import { sendJson, type Router } from '../http/router';
import { authenticate } from '../auth/guard';
import type { TokenRegistry } from '../auth/registry';
import type { Erasure } from './erasure';

/** POST /api/v1/erasure (admin): erase one user's or one session's data (privacy/erasure.ts). */
export function addErasureRoutes(router: Router, erasure: Erasure, tokens: TokenRegistry): void {
  router.add('POST', '/api/v1/erasure', async ({ req, res }) => {
    // The guard has let only admins through; the token's name goes into the audit line.
    const token = authenticate(req, tokens, 'admin');
    const body = await readJsonBody(req);
    const { appId, userId, sessionId } = body;
    if (typeof appId !== 'string' || !APP_ID_PATTERN.test(appId))
      throw new HttpError(400, 'appId must be an application id');
    const given = [userId, sessionId].filter((v) => v !== undefined);
    if (given.length !== 1) throw new HttpError(400, 'name exactly one of userId and sessionId');
    const id = given[0];
    if (typeof id !== 'string' || id === '')
      throw new HttpError(400, `${userId !== undefined ? 'userId' : 'sessionId'} must be a non-empty string`);
    for (const field of Object.keys(body))
      if (!['appId', 'userId', 'sessionId'].includes(field))
        throw new HttpError(400, `unknown field "${field}": an erasure takes appId and userId or sessionId`);
    const result = await erasure.erase(
      userId !== undefined ? { appId, userId: id } : { appId, sessionId: id },
      token.name,
    );
    sendJson(res, 200, result);
  });
}
