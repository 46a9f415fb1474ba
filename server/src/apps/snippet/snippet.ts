import type { Application } from '../application';

export type { Snippet } from '@otel-rum/model';

export interface SnippetContext {
  app: Application;
  /** The public base URL of the OTLP/HTTP receiver (this server, or a collector in front of it), no trailing slash. */
  endpoint: string;
}

/** A 0..1 rate as the percentage our browser SDK takes. */
export const percent = (rate: number): number => Math.round(rate * 10_000) / 100;

/** A JS/TS string literal in single quotes. */
export const jsString = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
