import type { IncomingMessage } from 'node:http';
import { HttpError } from '../http/http-error';
import type { TokenRegistry } from './registry';
import { roleAllows, type ApiToken, type Role } from './token';

const OPEN_API_PATHS = new Set(['/api/v1/openapi.json']);
/** Read only by admins, even with GET: tokens, and the integration snippets of applications. */
const ADMIN_PREFIXES = ['/api/v1/tokens'];
const ADMIN_PATTERNS = [/^\/api\/v1\/apps\/[^/]+\/snippet$/];

/**
 * The role a request needs, or null when it needs none. Everything under /api/v1/ needs a token
 * (except the OpenAPI document): GETs of the query API and of applications need read (a Grafana
 * data source with a read token lists them); tokens, snippets and every change need admin. Ingest, health, the SDK files and the demo are open.
 */
export function requiredRole(method: string, pathname: string): Role | null {
  if (!pathname.startsWith('/api/v1/') || OPEN_API_PATHS.has(pathname)) return null;
  if (method !== 'GET' && method !== 'HEAD') return 'admin';
  if (ADMIN_PREFIXES.some((p) => pathname === p || pathname.startsWith(p + '/'))) return 'admin';
  if (ADMIN_PATTERNS.some((p) => p.test(pathname))) return 'admin';
  return 'read';
}

const CHALLENGE = 'Bearer realm="otel-rum"';

/** The token of a request that needs `required`; 401 without a known token, 403 for a weaker role. */
export function authenticate(req: IncomingMessage, tokens: TokenRegistry, required: Role): ApiToken {
  const header = req.headers.authorization;
  if (!header)
    throw new HttpError(
      401,
      'this API needs a token: send "Authorization: Bearer <token>" (the admin token is printed at first start; see server/README.md)',
      { 'WWW-Authenticate': CHALLENGE },
    );
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!m)
    throw new HttpError(401, 'the Authorization header must be "Bearer <token>"', {
      'WWW-Authenticate': `${CHALLENGE}, error="invalid_request"`,
    });
  const token = tokens.verify(m[1]!);
  if (!token)
    throw new HttpError(401, 'the token is not known: it may have been deleted', {
      'WWW-Authenticate': `${CHALLENGE}, error="invalid_token"`,
    });
  if (!roleAllows(token.role, required))
    throw new HttpError(
      403,
      `this needs a token with the ${required} role; token "${token.name}" has the ${token.role} role`,
    );
  return token;
}
