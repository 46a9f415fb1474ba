import { createHash, randomBytes } from 'node:crypto';

/** What a token may do: read the query API, or also change anything (applications, tokens, rules). */
export const ROLES = ['read', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** A token as listed: never its secret, which is shown once when it is created. */
export interface ApiToken {
  id: string;
  name: string;
  role: Role;
  createdAt: string;
}

/** Characters in a token's name. */
export const MAX_TOKEN_NAME_LENGTH = 100;
/** Tokens start with this so that they are recognisable in configs and secret scanners. */
export const TOKEN_PREFIX = 'rum_';
/** Random bytes in a token's secret. */
export const TOKEN_SECRET_BYTES = 32;
/** Characters an operator-chosen token (RUM_ADMIN_TOKEN) must have at least. */
export const MIN_CONFIGURED_TOKEN_LENGTH = 16;

export function newTokenSecret(): string {
  return TOKEN_PREFIX + randomBytes(TOKEN_SECRET_BYTES).toString('base64url');
}

export function newTokenId(): string {
  return `tok_${randomBytes(8).toString('hex')}`;
}

/** Only this is stored: a leaked database does not leak usable tokens. */
export function hashToken(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Whether a token of `role` may do what needs `required`: admin can do everything read can. */
export function roleAllows(role: Role, required: Role): boolean {
  return role === 'admin' || required === 'read';
}
