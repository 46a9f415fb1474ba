/*
 * Error grouping: errors with the same fingerprint are one issue. The key is the exception type,
 * the normalised message and the top in-app frame (file and function, not line and column, which
 * move with every build), unless the client named the group itself in rum.error.fingerprint.
 */
import { createHash } from 'node:crypto';
import {
  EXCEPTION_MESSAGE,
  EXCEPTION_STACKTRACE,
  EXCEPTION_TYPE,
  RUM_ERROR_FINGERPRINT,
} from '@otel-rum/model';
import { isInAppFrame } from './in-app';
import { normaliseMessage } from './message';
import { parseStack, type Frame } from './stack';

export { parseStack, type Frame } from './stack';
export { normaliseMessage } from './message';
export { isInAppFrame } from './in-app';

export interface ErrorFingerprintInput {
  type?: string | null;
  message?: string | null;
  stacktrace?: string | null;
  /** rum.error.fingerprint as sent by the client; when set it alone decides the group. */
  clientFingerprint?: string | null;
}

/** Characters of the hex SHA-1 kept: 64 bits, ample for the groups of one application. */
const FINGERPRINT_HEX_LENGTH = 16;

function hash(key: string): string {
  return createHash('sha1').update(key, 'utf8').digest('hex').slice(0, FINGERPRINT_HEX_LENGTH);
}

/**
 * The script path that stays the same across deploys and environments: no origin, query or
 * fragment, and content hashes in file names ("main.3f2a1b9c.js") replaced.
 */
export function normaliseFile(file: string): string {
  let path = file.replace(/[?#].*$/, '');
  path = path.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '');
  // A build hash is a run of 6+ letters and digits, with a digit, between a separator and a dot:
  // webpack "main.3f2a1b9c.js", Vite "index-B7k2xQ9a.js", Next "page-0123abcd.js".
  return path.replace(/([.\-_~])(?=[A-Za-z0-9]*\d)[A-Za-z0-9]{6,}(?=\.)/g, '$1<hash>');
}

/** The frame errors are grouped by: the innermost in-app frame, else the innermost with a file. */
export function groupingFrame(frames: Frame[]): Frame | null {
  return frames.find(isInAppFrame) ?? frames.find((f) => f.file !== null) ?? null;
}

function typeOf(type: string | null | undefined, message: string | null | undefined): string {
  const given = type?.trim();
  if (given) return given;
  const prefixed = /^(?:Uncaught )?([A-Z]\w*(?:Error|Exception)):/.exec(message?.trim() ?? '');
  return prefixed ? (prefixed[1] as string) : 'Error';
}

/** A stable 16-hex-digit group id for one error. */
export function errorFingerprint(input: ErrorFingerprintInput): string {
  const client = input.clientFingerprint?.trim();
  if (client) return hash(`client\n${client}`);
  const type = typeOf(input.type, input.message);
  let message = input.message?.trim() ?? '';
  // "TypeError: x is undefined" and "x is undefined" with type TypeError are the same message.
  message = message.replace(/^Uncaught (?:\(in promise\) )?/, '');
  if (message.startsWith(`${type}: `)) message = message.slice(type.length + 2);
  const frame = groupingFrame(parseStack(input.stacktrace));
  const where = frame ? `${normaliseFile(frame.file ?? '')}\n${frame.function ?? ''}` : '';
  return hash(`${type}\n${normaliseMessage(message)}\n${where}`);
}

/** errorFingerprint over an error event's attributes, by their OpenTelemetry and rum.* names. */
export function errorFingerprintFromAttributes(attributes: Readonly<Record<string, unknown>>): string {
  const text = (key: string) => {
    const v = attributes[key];
    return typeof v === 'string' ? v : null;
  };
  return errorFingerprint({
    type: text(EXCEPTION_TYPE),
    message: text(EXCEPTION_MESSAGE),
    stacktrace: text(EXCEPTION_STACKTRACE),
    clientFingerprint: text(RUM_ERROR_FINGERPRINT),
  });
}
