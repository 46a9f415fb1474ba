import type { RawEvent, RawSpan, Attributes } from '../lifecycle/rumEvents';
import { createBatch } from './batch';
import { encodeEnvelope, encodeLogRecord, encodeSpan, logsRequest, tracesRequest } from './otlpJson';
import { createSender, type QueueStore } from './sender';

export interface TransportOptions {
  endpoint: string;
  headers: Record<string, string>;
  compression: boolean;
  flushIntervalMs: number;
  resource: Attributes;
  scopeName: string;
  scopeVersion: string;
  fetch: typeof fetch;
  now(): number;
  stores?: { logs: QueueStore; traces: QueueStore };
}

export interface Transport {
  event(e: RawEvent): void;
  span(s: RawSpan): void;
  /** Sends what is batched; `final` at page hide (keepalive, uncompressed). */
  flush(final: boolean): void;
  stop(): void;
}

/** OTLP/HTTP JSON to `${endpoint}/v1/logs` (events) and `${endpoint}/v1/traces` (spans), batched. */
export function createTransport(o: TransportOptions): Transport {
  const envelope = encodeEnvelope(o.resource, o.scopeName, o.scopeVersion);
  const dropped = (what: string) => (reason: string, bytes: number) =>
    console.warn(`OtelRum: ${bytes} bytes of ${what} dropped (${reason})`);
  const sender = (signal: 'logs' | 'traces') =>
    createSender({
      url: `${o.endpoint}/v1/${signal}`,
      headers: o.headers,
      compression: o.compression,
      fetch: o.fetch,
      onDrop: dropped(signal),
      store: o.stores?.[signal],
    });
  const logSender = sender('logs');
  const traceSender = sender('traces');
  const logs = createBatch({
    flushIntervalMs: o.flushIntervalMs,
    send: (records, final) => logSender.send(logsRequest(envelope, records), final),
    onDrop: (bytes) => dropped('an event over MAX_EVENT_BYTES')('too large', bytes),
  });
  const traces = createBatch({
    flushIntervalMs: o.flushIntervalMs,
    send: (spans, final) => traceSender.send(tracesRequest(envelope, spans), final),
    onDrop: (bytes) => dropped('a span over MAX_EVENT_BYTES')('too large', bytes),
  });
  return {
    event: (e) => logs.add(encodeLogRecord(e, o.now())),
    span: (s) => traces.add(encodeSpan(s)),
    flush(final) {
      logs.flush(final);
      traces.flush(final);
    },
    stop() {
      logs.stop();
      traces.stop();
      logSender.stop();
      traceSender.stop();
    },
  };
}
