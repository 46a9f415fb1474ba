import { USER_EMAIL, USER_HASH, USER_ID, USER_NAME, USER_ROLES } from '@otel-rum/model';
import type { RumUser } from '../config/config';
import type { Attributes } from '../lifecycle/rumEvents';

/** The user.* attributes of a user; a missing field is left out. */
export function userAttributes(user: RumUser | undefined): Attributes {
  if (!user) return {};
  const out: Attributes = {};
  if (user.id !== undefined) out[USER_ID] = String(user.id);
  if (user.name !== undefined) out[USER_NAME] = String(user.name);
  if (user.email !== undefined) out[USER_EMAIL] = String(user.email);
  if (user.hash !== undefined) out[USER_HASH] = String(user.hash);
  if (Array.isArray(user.roles)) out[USER_ROLES] = user.roles.map(String);
  return out;
}
