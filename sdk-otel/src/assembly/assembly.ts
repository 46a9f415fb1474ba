import {
  EventName,
  RUM_ACTION_ID,
  RUM_VIEW_ID,
  RUM_LONG_TASK_SCRIPT,
  RUM_VIEW_REFERRER,
  SESSION_ID,
  URL_FULL,
} from '@otel-rum/model';
import type { RumEventForHook } from '../config/config';
import type { Attributes, RawEvent, RawSpan, RumBus } from '../lifecycle/rumEvents';
import { redactUrlsIn, type UrlRedactor } from '../privacy/redactUrl';
import { enforceLimits } from './limits';

/** Where the common context of every event comes from. */
export interface AssemblyContext {
  /** Whether anything may be sent now (consent granted, SDK running). */
  tracking(): boolean;
  /**
   * The live session id and whether it is sampled in; given the id an event is pinned to, only
   * whether that one is sampled (the live session is neither read nor renewed).
   */
  session(pinnedId?: string): { id: string; sampled: boolean };
  view(): { id: string; url: string } | undefined;
  /** Id of the click action in progress, given to the events and spans it causes. */
  actionId(): string | undefined;
  common(): Attributes;
  redact: UrlRedactor;
  beforeSend?: (event: RumEventForHook) => boolean | void;
}

export interface AssemblyOutput {
  event(e: RawEvent): void;
  span(s: RawSpan): void;
}

/** Events and spans kept while the SDK is starting (before storage and transport exist); the oldest go first. */
export const PRESTART_BUFFER_SIZE = 500;

export interface Assembly {
  /** Storage and transport are up: replays the pre-start buffer and assembles from now on. */
  ready(out: AssemblyOutput): void;
  stop(): void;
}

/** The context an event was collected in, kept with it while the SDK is starting. */
interface Moment {
  common: Attributes;
  /** Undefined when no view had started yet: the view current at the start is used. */
  view: { id: string; url: string } | undefined;
  actionId: string | undefined;
}

/** Attributes that may hold a URL (a long task's script names the page's URL for inline scripts). */
const URL_ATTRIBUTES = [URL_FULL, RUM_VIEW_REFERRER, RUM_LONG_TASK_SCRIPT];
/** Events that an action in progress may have caused. */
const ACTION_CHILDREN = new Set<string>([EventName.EXCEPTION, EventName.RESOURCE, EventName.LONG_TASK]);

/**
 * Turns what domains collect into what is sent: adds session, view, page URL, user and global
 * attributes; redacts URLs; applies the model's limits; lets beforeSend edit or drop; drops events
 * of sessions sampled out.
 */
export function startAssembly(bus: RumBus, ctx: AssemblyContext): Assembly {
  let out: AssemblyOutput | undefined;
  // Held with the context of the moment they were collected: user and global attributes, and the view
  // and action then current (a route change may come before the start).
  let buffer: [RawEvent | undefined, RawSpan | undefined, Moment][] = [];
  const hold = (e: RawEvent | undefined, s: RawSpan | undefined, moment: Moment) => {
    buffer.push([e, s, moment]);
    if (buffer.length > PRESTART_BUFFER_SIZE) buffer.shift();
  };
  const now = (): Moment => {
    const view = ctx.view();
    // A copy: the view object itself may change as the page goes on.
    return { common: ctx.common(), view: view && { id: view.id, url: view.url }, actionId: ctx.actionId() };
  };

  /** The attributes to send (URLs redacted, beforeSend applied, within the limits), or undefined to drop. */
  const finish = (name: string, time: number, attributes: Attributes): Attributes | undefined => {
    // URL attributes whole; in any other text (an error's message and stack, whose frames name the
    // page's URL; custom attributes), every absolute URL.
    for (const key in attributes) {
      const v = attributes[key];
      if (typeof v === 'string')
        attributes[key] = URL_ATTRIBUTES.includes(key)
          ? ctx.redact(v)
          : v.includes('://')
            ? redactUrlsIn(v, ctx.redact)
            : v;
    }
    if (ctx.beforeSend) {
      try {
        if (ctx.beforeSend({ name, time, attributes }) === false) return undefined;
      } catch (e) {
        console.error('OtelRum: beforeSend threw; the event is sent unchanged', e);
      }
    }
    return enforceLimits(attributes);
  };

  const onEvent = (raw: RawEvent, held?: Moment) => {
    if (!ctx.tracking()) return;
    if (!out) return hold(raw, undefined, now());
    const pinned = raw.context;
    const session = ctx.session(pinned?.sessionId);
    if (!session.sampled) return;
    const view = pinned?.sessionId ? undefined : (held?.view ?? ctx.view());
    const attributes: Attributes = {
      ...(held?.common ?? ctx.common()),
      [SESSION_ID]: pinned?.sessionId ?? session.id,
      [RUM_VIEW_ID]: pinned?.viewId ?? view?.id,
      [URL_FULL]: pinned?.url ?? view?.url,
      [RUM_ACTION_ID]: ACTION_CHILDREN.has(raw.name) ? (held ? held.actionId : ctx.actionId()) : undefined,
      ...raw.attributes,
    };
    const sent = finish(raw.name, raw.time, attributes);
    if (sent) out.event({ ...raw, attributes: sent });
  };

  const onSpan = (span: RawSpan, held?: Moment) => {
    if (!ctx.tracking() || !span.sampled) return;
    if (!out) return hold(undefined, span, now());
    const session = ctx.session();
    if (!session.sampled) return;
    const attributes: Attributes = {
      ...(held?.common ?? ctx.common()),
      [SESSION_ID]: session.id,
      [RUM_VIEW_ID]: (held?.view ?? ctx.view())?.id,
      ...span.attributes,
    };
    const sent = finish('span', span.start, attributes);
    if (sent) out.span({ ...span, attributes: sent });
  };

  const offs = [bus.on('collected', onEvent), bus.on('spanEnded', onSpan)];
  return {
    ready(output) {
      out = output;
      const held = buffer;
      buffer = [];
      for (const [e, s, moment] of held) {
        if (e) onEvent(e, moment);
        if (s) onSpan(s, moment);
      }
    },
    stop() {
      offs.forEach((off) => off());
      buffer = [];
    },
  };
}
