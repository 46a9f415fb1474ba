/*
 * A journey: an ordered list of steps a session may take, each a view (URL path glob) or an action
 * (action name glob). This file reads and checks one as the API receives it.
 */
import { APP_ID_PATTERN, MAX_JOURNEY_STEPS, type JourneyDefinition, type JourneyStep } from '@otel-rum/model';

export type { Journey, JourneyDefinition, JourneyStep } from '@otel-rum/model';
import { HttpError } from '../http/http-error';

/** Characters in a journey's name, and in one step's pattern. */
export const MAX_JOURNEY_NAME_LENGTH = 200;
export const MAX_JOURNEY_PATTERN_LENGTH = 1000;

function bad(message: string): never {
  throw new HttpError(400, message);
}

function readStep(raw: unknown, i: number): JourneyStep {
  const where = `steps[${i}]`;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    bad(`${where} must be {"type": "view", "path": "/cart/*"} or {"type": "action", "name": "Add to cart"}`);
  const step = raw as Record<string, unknown>;
  const pattern = (key: string): string => {
    const v = step[key];
    if (typeof v !== 'string' || v.trim() === '' || v.length > MAX_JOURNEY_PATTERN_LENGTH)
      bad(`${where}.${key} must be a non-empty pattern of at most ${MAX_JOURNEY_PATTERN_LENGTH} characters`);
    return v;
  };
  const extra = Object.keys(step).filter(
    (k) => k !== 'type' && k !== (step.type === 'view' ? 'path' : 'name'),
  );
  if (step.type === 'view' || step.type === 'action') {
    if (extra.length) bad(`${where}: unknown property "${extra[0]}" for a ${step.type} step`);
    if (step.type === 'view') {
      const path = pattern('path');
      if (!path.startsWith('/') && !path.startsWith('*'))
        bad(`${where}.path must be a URL path pattern starting with / or * (got "${path}")`);
      return { type: 'view', path };
    }
    return { type: 'action', name: pattern('name') };
  }
  return bad(`${where}.type must be "view" or "action"`);
}

/** Reads and checks a journey from a request body. */
export function readJourneyDefinition(body: Record<string, unknown>): JourneyDefinition {
  const known = ['name', 'appId', 'steps'];
  for (const key of Object.keys(body))
    if (!known.includes(key)) bad(`unknown property "${key}"; known: ${known.join(', ')}`);
  const { name, steps } = body;
  const appId = body.appId ?? null;
  if (typeof name !== 'string' || name.trim() === '' || name.length > MAX_JOURNEY_NAME_LENGTH)
    bad(`name must be non-empty text of at most ${MAX_JOURNEY_NAME_LENGTH} characters`);
  if (appId !== null && (typeof appId !== 'string' || !APP_ID_PATTERN.test(appId)))
    bad('appId must be an application id (letters, digits and underscore, at most 48) or null');
  if (!Array.isArray(steps) || steps.length === 0)
    bad('steps must be a non-empty list of {"type": "view", "path"} or {"type": "action", "name"}');
  if (steps.length > MAX_JOURNEY_STEPS)
    bad(`steps: at most ${MAX_JOURNEY_STEPS} (MAX_JOURNEY_STEPS), got ${steps.length}`);
  return { name, appId: appId as string | null, steps: steps.map(readStep) };
}
