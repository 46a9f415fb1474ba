import type { IncomingMessage } from 'node:http';
import { readBody } from './body';
import { HttpError } from './http-error';

/** Bytes of a JSON request body on the management API. */
export const MAX_JSON_BODY_BYTES = 256 * 1024;

/** Reads a JSON object body, refusing other content types (415), bad JSON (400) and non-objects (400). */
export async function readJsonBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const type = String(req.headers['content-type'] ?? '')
    .split(';')[0]!
    .trim()
    .toLowerCase();
  if (type !== 'application/json') {
    req.resume();
    throw new HttpError(415, `request body must be application/json, got "${type || '(none)'}"`);
  }
  const body = await readBody(req, {
    maxBodyBytes: MAX_JSON_BODY_BYTES,
    maxDecompressedBytes: MAX_JSON_BODY_BYTES,
  });
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch (e) {
    throw new HttpError(400, `request body is not valid JSON: ${(e as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new HttpError(400, 'request body must be a JSON object');
  }
  return value as Record<string, unknown>;
}

/** The same reader under the name api/analytics-routes.ts imports. */
export const readJsonObject = readJsonBody;
