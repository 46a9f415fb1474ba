import type { ErrorSource } from '@otel-rum/model';
import type { RumBus } from '../lifecycle/rumEvents';
import { createErrorFilter } from './errorFilter';
import { describeThrown, exceptionEvent, type CollectedError } from './errorEvent';
import { formatFrames } from './stackParser';

export interface ErrorOptions {
  bus: RumBus;
  console: boolean;
  ignore: (string | RegExp)[];
  now(): number;
}

export interface ErrorCollection {
  /** The public addError: a handled error, from the application. */
  add(
    error: unknown,
    options?: { fingerprint?: string; attributes?: Record<string, string | number | boolean> },
  ): void;
  stop(): void;
}

/**
 * Errors: uncaught errors, unhandled rejections, console.error, failed loads of scripts, styles and
 * images, CSP violations, and errors the application reports itself.
 */
export function startErrorCollection(o: ErrorOptions): ErrorCollection {
  const keep = createErrorFilter(o.ignore);
  const emit = (e: CollectedError) => {
    if (keep(e)) o.bus.emit('collected', exceptionEvent(e));
  };
  const thrown = (value: unknown, source: ErrorSource, handled: boolean, extra?: Partial<CollectedError>) =>
    emit({ ...describeThrown(value), source, handled, time: o.now(), ...extra });

  const onError = (event: Event) => {
    const target = event.target as Element | null;
    if (event instanceof ErrorEvent) {
      const fallbackStack =
        event.filename && formatFrames([{ url: event.filename, line: event.lineno, column: event.colno }]);
      if (event.error !== undefined && event.error !== null) {
        const d = describeThrown(event.error);
        emit({
          ...d,
          stack: d.stack || fallbackStack || undefined,
          source: 'uncaught',
          handled: false,
          time: o.now(),
        });
      } else
        emit({
          type: 'Error',
          message: event.message || 'Script error.',
          stack: fallbackStack || undefined,
          source: 'uncaught',
          handled: false,
          time: o.now(),
        });
    } else if (target && target !== (window as unknown) && 'tagName' in target) {
      const url =
        (target as HTMLImageElement).currentSrc ||
        (target as HTMLScriptElement).src ||
        (target as HTMLLinkElement).href;
      emit({
        type: 'ResourceError',
        message: `Failed to load ${target.tagName.toLowerCase()} ${url || ''}`.trim(),
        source: 'resource',
        handled: false,
        time: o.now(),
      });
    }
  };
  const onRejection = (event: PromiseRejectionEvent) => thrown(event.reason, 'unhandled_rejection', false);
  const onCsp = (e: SecurityPolicyViolationEvent) =>
    emit({
      type: 'CSPViolation',
      message: `'${e.effectiveDirective || e.violatedDirective}' blocked ${e.blockedURI || 'inline'}`,
      stack: e.sourceFile
        ? formatFrames([{ url: e.sourceFile, line: e.lineNumber, column: e.columnNumber }])
        : undefined,
      source: 'csp',
      handled: false,
      time: o.now(),
    });

  addEventListener('error', onError, true);
  addEventListener('unhandledrejection', onRejection);
  document.addEventListener('securitypolicyviolation', onCsp);

  const originalConsoleError = console.error;
  if (o.console) {
    let inside = false;
    console.error = function (...args: unknown[]) {
      originalConsoleError.apply(this, args);
      // A console.error raised while we report one (a throwing beforeSend) is printed, not reported.
      if (inside) return;
      inside = true;
      try {
        reportConsole(args);
      } finally {
        inside = false;
      }
    };
  }
  function reportConsole(args: unknown[]) {
    const err = args.find((a) => a instanceof Error) as Error | undefined;
    const message = args
      .map((a) =>
        a instanceof Error
          ? `${a.name}: ${a.message}`
          : typeof a === 'string'
            ? a
            : describeThrown(a).message,
      )
      .join(' ');
    emit({
      type: err ? err.name : 'console.error',
      message,
      stack: err?.stack,
      source: 'console',
      handled: true,
      time: o.now(),
    });
  }

  return {
    add(error, options) {
      thrown(error, 'custom', true, { fingerprint: options?.fingerprint, attributes: options?.attributes });
    },
    stop() {
      removeEventListener('error', onError, true);
      removeEventListener('unhandledrejection', onRejection);
      document.removeEventListener('securitypolicyviolation', onCsp);
      if (o.console) console.error = originalConsoleError;
    },
  };
}
