/*
 * The application form's state and its checks, apart from the components so that they are tested
 * alone. The checks are the server's (server/src/apps/validate.ts) with the model's limits, run as the
 * user types; the server checks again and its message is shown when it still refuses.
 */
import {
  APP_TYPES,
  DEFAULT_RETENTION_DAYS,
  MAX_ALLOWED_ORIGINS,
  MAX_APP_EVENTS_PER_SECOND,
  MAX_APP_EVENT_BURST,
  MAX_APP_NAME_LENGTH,
  MAX_RETENTION_DAYS,
  RETENTION_CHOICES,
  type AppType,
} from '@otel-rum/model';
import type { ApplicationInput, ManagedApplication } from '../../shared/appApi';
import { appIdProblem } from '../../shared/settings';

/** What the form holds: text as typed, turned into numbers on save. */
export interface AppForm {
  appId: string;
  name: string;
  type: AppType;
  /** One origin a line. */
  origins: string;
  /** Percentages 0..100, as typed. */
  sessionSample: string;
  traceSample: string;
  replaySample: string;
  /** 3, 7, 14, or 'other' with otherDays. */
  retention: string;
  otherDays: string;
  /** Empty: the server's defaults. */
  eventsPerSecond: string;
  burst: string;
}

export type FormErrors = Partial<Record<keyof AppForm, string>>;

export const EMPTY_FORM: AppForm = {
  appId: '',
  name: '',
  type: 'web',
  origins: '',
  sessionSample: '100',
  traceSample: '100',
  replaySample: '0',
  retention: String(DEFAULT_RETENTION_DAYS),
  otherDays: '',
  eventsPerSecond: '',
  burst: '',
};

const pct = (rate: number) => String(Math.round(rate * 10_000) / 100);

export function formOf(app: ManagedApplication): AppForm {
  const choice = (RETENTION_CHOICES as readonly number[]).includes(app.retentionDays);
  return {
    appId: app.appId,
    name: app.name,
    type: app.type,
    origins: app.allowedOrigins.join('\n'),
    sessionSample: pct(app.sessionSampleRate),
    traceSample: pct(app.traceSampleRate),
    replaySample: pct(app.replaySampleRate),
    retention: choice ? String(app.retentionDays) : 'other',
    otherDays: choice ? '' : String(app.retentionDays),
    eventsPerSecond: app.rateLimit ? String(app.rateLimit.eventsPerSecond) : '',
    burst: app.rateLimit ? String(app.rateLimit.burst) : '',
  };
}

function percentProblem(text: string): string | undefined {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n < 0 || n > 100) return 'A percentage from 0 to 100';
  return undefined;
}

export function originsOf(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

function originProblem(text: string): string | undefined {
  const list = originsOf(text);
  if (list.length > MAX_ALLOWED_ORIGINS)
    return `At most ${MAX_ALLOWED_ORIGINS} origins (${list.length} given)`;
  for (const o of list) {
    if (o === '*' || o === "'self'" || o === 'self') continue;
    if (!/^https?:\/\/(\*\.)?[^/\s*]+(:\d+)?$/.test(o))
      return `"${o}" is not an origin: scheme://host[:port], https://*.example.com, 'self' or *`;
  }
  return undefined;
}

/** Every problem of the form, by field; empty when it can be saved. */
export function formErrors(f: AppForm): FormErrors {
  const e: FormErrors = {};
  e.appId = appIdProblem(f.appId);
  if (!f.name.trim()) e.name = 'A name is required';
  else if (f.name.trim().length > MAX_APP_NAME_LENGTH) e.name = `At most ${MAX_APP_NAME_LENGTH} characters`;
  if (!APP_TYPES.includes(f.type)) e.type = `One of ${APP_TYPES.join(', ')}`;
  e.origins = originProblem(f.origins);
  e.sessionSample = percentProblem(f.sessionSample);
  e.traceSample = percentProblem(f.traceSample);
  e.replaySample = percentProblem(f.replaySample);
  if (f.retention === 'other') {
    const d = Number(f.otherDays);
    if (!Number.isInteger(d) || d < 1 || d > MAX_RETENTION_DAYS)
      e.otherDays = `A whole number of days from 1 to ${MAX_RETENTION_DAYS}`;
  }
  if (f.eventsPerSecond.trim() || f.burst.trim()) {
    const eps = Number(f.eventsPerSecond);
    const burst = Number(f.burst);
    if (!Number.isFinite(eps) || eps <= 0 || eps > MAX_APP_EVENTS_PER_SECOND)
      e.eventsPerSecond = `Events per second from 1 to ${MAX_APP_EVENTS_PER_SECOND}, or leave both empty for the defaults`;
    if (!Number.isInteger(burst) || burst < 1 || burst > MAX_APP_EVENT_BURST)
      e.burst = `A whole number of events from 1 to ${MAX_APP_EVENT_BURST}`;
  }
  for (const k of Object.keys(e) as Array<keyof AppForm>) if (e[k] === undefined) delete e[k];
  return e;
}

/** The request body of the form (call only when formErrors is empty). */
export function inputOf(f: AppForm, dashboards: ApplicationInput['dashboards'] = []): ApplicationInput {
  return {
    appId: f.appId,
    name: f.name.trim(),
    type: f.type,
    allowedOrigins: originsOf(f.origins),
    sessionSampleRate: Number(f.sessionSample) / 100,
    traceSampleRate: Number(f.traceSample) / 100,
    replaySampleRate: Number(f.replaySample) / 100,
    retentionDays: f.retention === 'other' ? Number(f.otherDays) : Number(f.retention),
    dashboards,
    rateLimit:
      f.eventsPerSecond.trim() || f.burst.trim()
        ? { eventsPerSecond: Number(f.eventsPerSecond), burst: Number(f.burst) }
        : null,
  };
}
