import {
  EXCEPTION_MESSAGE,
  EXCEPTION_STACKTRACE,
  EXCEPTION_TYPE,
  EventName,
  RUM_ERROR_FINGERPRINT,
  RUM_ERROR_HANDLED,
  RUM_ERROR_SOURCE,
  type ErrorSource,
} from '@otel-rum/model';
import type { Attributes, RawEvent } from '../lifecycle/rumEvents';
import { SEVERITY_ERROR } from '../transport/otlpJson';

/** An error as collected, before it becomes an `exception` event. */
export interface CollectedError {
  type: string;
  message: string;
  stack?: string;
  source: ErrorSource;
  handled: boolean;
  fingerprint?: string;
  time: number;
  attributes?: Attributes;
}

/** Type, message and stack of anything thrown or rejected (Error or not). */
export function describeThrown(value: unknown): { type: string; message: string; stack?: string } {
  if (
    value instanceof Error ||
    (value && typeof value === 'object' && 'message' in value && 'name' in value)
  ) {
    const e = value as Error;
    return {
      type: String(e.name || 'Error'),
      message: String(e.message),
      stack: e.stack ? String(e.stack) : undefined,
    };
  }
  let message: string;
  try {
    message = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  } catch {
    message = String(value);
  }
  return { type: value === null ? 'null' : typeof value, message };
}

/** The OTel `exception` event. */
export function exceptionEvent(e: CollectedError): RawEvent {
  return {
    name: EventName.EXCEPTION,
    time: e.time,
    severity: SEVERITY_ERROR,
    attributes: {
      ...e.attributes,
      [EXCEPTION_TYPE]: e.type,
      [EXCEPTION_MESSAGE]: e.message,
      [EXCEPTION_STACKTRACE]: e.stack,
      [RUM_ERROR_SOURCE]: e.source,
      [RUM_ERROR_HANDLED]: e.handled,
      [RUM_ERROR_FINGERPRINT]: e.fingerprint,
    },
  };
}
