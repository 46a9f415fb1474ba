import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-web';
import { RUM_ACTION_ID, RUM_VIEW_ID, SESSION_ID } from '@otel-rum/model';
import { getRumContext, type RumExportContext } from '../index';

/** Where the bridge reads the RUM context: the SDK's getRumContext (or the CDN global's). */
export type RumContextSource = () => RumExportContext | undefined;

/**
 * A SpanProcessor for spans started through the OpenTelemetry API: it stamps each with the RUM
 * context (session.id, rum.view.id, rum.action.id, the user.* and global attributes; attributes the
 * span already has are kept) and hands it to `next` (e.g. a BatchSpanProcessor). Spans started
 * while the SDK is not collecting (before init, consent not granted) or in a session sampled out are
 * dropped, and so are those that end after consent was revoked.
 */
export function createRumSpanProcessor(
  next: SpanProcessor,
  source: RumContextSource = getRumContext,
): SpanProcessor {
  if (!next || typeof next.onEnd !== 'function')
    throw new TypeError('createRumSpanProcessor: `next` must be a SpanProcessor (e.g. a BatchSpanProcessor)');
  const admitted = new WeakSet<object>();
  return {
    onStart(span: Span, parent: Context) {
      const ctx = source()?.span;
      if (!ctx?.sampled) return;
      span.setAttribute(SESSION_ID, ctx.sessionId);
      span.setAttribute(RUM_VIEW_ID, ctx.viewId);
      const own = span.attributes;
      if (ctx.actionId && own[RUM_ACTION_ID] === undefined) span.setAttribute(RUM_ACTION_ID, ctx.actionId);
      for (const [key, value] of Object.entries(ctx.attributes))
        if (value !== undefined && value !== null && own[key] === undefined) span.setAttribute(key, value);
      admitted.add(span);
      next.onStart(span, parent);
    },
    onEnd(span: ReadableSpan) {
      if (admitted.has(span) && source()?.span) next.onEnd(span);
    },
    forceFlush: () => next.forceFlush(),
    shutdown: () => next.shutdown(),
  };
}
