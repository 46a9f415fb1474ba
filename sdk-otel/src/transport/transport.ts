import {
  EventName,
  MAX_EVENT_BYTES,
  MAX_REPLAY_SEGMENT_BYTES,
  REPLAY_FLUSH_INTERVAL_MS,
} from '@otel-rum/model';
import type { RawEvent, RawSpan, Attributes } from '../lifecycle/rumEvents';
import { createBatch, type Encoded } from './batch';
import { createIndexedDbQueue } from './indexedDbQueue';
import { encodeEnvelope, encodeLogRecord, encodeSpan, logsRequest, tracesRequest } from './otlpJson';
import { encodeEnvelopeProto, encodeLogRecordProto, encodeSpanProto, protoRequest } from './otlpProtobuf';
import { createSender } from './sender';
import { createSpillStore } from './spillStore';

export interface TransportOptions {
  endpoint: string;
  headers: Record<string, string>;
  compression: boolean;
  flushIntervalMs: number;
  /**
   * The OTLP Resource, read at the first send (reading the browser's details and encoding them is
   * ~0.5 ms of main thread, which the SDK's start then does not pay).
   */
  resource: () => Attributes;
  scopeName: string;
  scopeVersion: string;
  fetch: typeof fetch;
  now(): number;
  /** Prefix of the storage keys (page-hide spill in localStorage, offline queue in IndexedDB). */
  storageKey: string;
  /** Keep refused and offline requests in IndexedDB across reloads. */
  offlineQueue: boolean;
  /** OTLP/HTTP encoding. */
  protocol: 'json' | 'protobuf';
}

export interface Transport {
  event(e: RawEvent): void;
  span(s: RawSpan): void;
  /** Sends what is batched; `final` at page hide (keepalive, uncompressed, the rest set aside). */
  flush(final: boolean): void;
  /** The page is shown again: sends what an earlier page set aside at its hide (spill). */
  resume(): void;
  /** Stops sending (what is stored stays for the next page). */
  stop(): void;
}

/** Largest encoded replay segment record: its body (MAX_REPLAY_SEGMENT_BYTES) beside attributes within MAX_EVENT_BYTES. */
export const MAX_REPLAY_RECORD_BYTES = MAX_REPLAY_SEGMENT_BYTES + MAX_EVENT_BYTES;

/**
 * OTLP/HTTP to `${endpoint}/v1/logs` (events) and `${endpoint}/v1/traces` (spans), batched. Replay
 * segments go to `/v1/logs` in requests of their own (the segments closed within
 * REPLAY_FLUSH_INTERVAL_MS together; at page hide at once), always OTLP protobuf: their body is already
 * gzip, which protobuf carries as raw bytes (OTLP/JSON would base64 it, a third more). The request is
 * gzip too (Content-Encoding), synchronously, by the recorder's `gzip` (so at page hide as well): for
 * the Resource and the records' attributes, which the segments' own gzip does not cover.
 */
export function createTransport(o: TransportOptions): Transport {
  const proto = o.protocol === 'protobuf';
  // The Resource and scope, encoded once, at the first request that needs each encoding.
  let json: ReturnType<typeof encodeEnvelope> | undefined;
  let pb: ReturnType<typeof encodeEnvelopeProto> | undefined;
  const envelope = () => (json ??= encodeEnvelope(o.resource(), o.scopeName, o.scopeVersion));
  const envelopeProto = () => (pb ??= encodeEnvelopeProto(o.resource(), o.scopeName, o.scopeVersion));
  const dropped = (what: string) => (reason: string, bytes: number) =>
    console.warn(`OtelRum: ${bytes} bytes of ${what} dropped (${reason})`);
  const signal = <T>(
    name: 'logs' | 'traces' | 'replay',
    encode: (record: T) => Encoded,
    wrap: (records: Encoded[]) => Encoded,
    compression = o.compression,
    flushIntervalMs = o.flushIntervalMs,
    headers = o.headers,
  ) => {
    const key = `${o.storageKey}_${name}`;
    const spill = createSpillStore(`${key}_spill`, (bytes) => dropped(name)('page-hide spill full', bytes));
    const store = o.offlineQueue ? createIndexedDbQueue(`${key}_queue`) : undefined;
    const sender = createSender({
      url: `${o.endpoint}/v1/${name === 'replay' ? 'logs' : name}`,
      contentType: proto || name === 'replay' ? 'application/x-protobuf' : 'application/json',
      headers,
      compression,
      fetch: o.fetch,
      onDrop: dropped(name),
      store,
      spill,
    });
    const batch = createBatch({
      flushIntervalMs,
      encode,
      send: (records, final) => sender.send(wrap(records), final),
      onDrop: (bytes) =>
        dropped(name)('record over MAX_EVENT_BYTES (replay: MAX_REPLAY_SEGMENT_BYTES)', bytes),
    });
    return {
      batch,
      sender,
      flush(final: boolean) {
        batch.flush(final);
        if (final) sender.hide();
      },
      stop() {
        batch.stop();
        sender.stop();
      },
    };
  };
  // Records are encoded when their batch is sent (batch.ts); an event keeps the time it was observed.
  const logs = signal(
    'logs',
    ([e, observed]: [RawEvent, number]) =>
      proto ? encodeLogRecordProto(e, observed) : encodeLogRecord(e, observed),
    (records) =>
      proto
        ? protoRequest(envelopeProto(), records as Uint8Array[])
        : logsRequest(envelope(), records as string[]),
  );
  const traces = signal(
    'traces',
    (s: RawSpan) => (proto ? encodeSpanProto(s) : encodeSpan(s)),
    (spans) =>
      proto
        ? protoRequest(envelopeProto(), spans as Uint8Array[])
        : tracesRequest(envelope(), spans as string[]),
  );
  // Created with the first segment: sessions without replay pay nothing for it. Segments close
  // rarely (on size, view change, flush(), page hide, or REPLAY_SEGMENT_MAX_DURATION_MS); those closed
  // within REPLAY_FLUSH_INTERVAL_MS share a request (one Resource for all), which the segment's own
  // `gzip` (the recorder chunk's, synchronous) compresses whole. At page hide the recorder closes its
  // segment on `pageHidden`, before the page lifecycle flushes every signal: it goes at once.
  let replay: ReturnType<typeof signal> | undefined;
  const all = () => (replay ? [logs, traces, replay] : [logs, traces]);
  // One listener for all senders (each listener added is main-thread time at the start).
  const onOnline = () => all().forEach((s) => s.sender.online());
  addEventListener('online', onOnline);
  return {
    event(e) {
      if (e.name !== EventName.REPLAY_SEGMENT) return logs.batch.add([e, o.now()]);
      // The function alone is kept, not the first segment's event (its body). A segment is encoded at
      // once: its body is the recorder's buffer.
      const gzip = e.gzip!;
      replay ??= signal(
        'replay',
        (r: Encoded) => r,
        (records) => gzip(protoRequest(envelopeProto(), records as Uint8Array[])),
        false,
        REPLAY_FLUSH_INTERVAL_MS,
        { ...o.headers, 'Content-Encoding': 'gzip' },
      );
      replay.batch.add(encodeLogRecordProto(e, o.now()), MAX_REPLAY_RECORD_BYTES);
    },
    span: (s) => traces.batch.add(s),
    flush(final) {
      all().forEach((s) => s.flush(final));
    },
    resume() {
      all().forEach((s) => s.sender.resume());
    },
    stop() {
      all().forEach((s) => s.stop());
      removeEventListener('online', onOnline);
    },
  };
}
