/*
 * Malformed and extreme OTLP/HTTP requests, generated with fast-check: wrong types, truncated
 * protobuf, gzip bombs, invalid UTF-8, absurd timestamps, huge and deeply nested attributes, ids of
 * the wrong length, limits ±1, mislabelled content. Each request carries a marker (`fzm<n>z`) in its
 * session id and attributes, so that what a refused request left in the store can be searched for.
 */
import { gzipSync, deflateSync } from 'node:zlib';
import fc from 'fast-check';
import {
  EventName,
  MAX_ATTRIBUTE_KEY_LENGTH,
  MAX_ATTRIBUTE_VALUE_LENGTH,
  MAX_ATTRIBUTES_PER_EVENT,
  MAX_DECOMPRESSED_BODY_BYTES,
  RUM_APP_ID,
  SESSION_ID,
} from '@otel-rum/model';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const proto = require('@opentelemetry/otlp-transformer/build/src/generated/root').opentelemetry.proto
  .collector as Record<
  'trace' | 'logs' | 'metrics',
  { v1: Record<string, { fromObject(o: unknown): unknown; encode(m: unknown): { finish(): Uint8Array } }> }
>;

export type Signal = 'traces' | 'logs' | 'metrics';

export interface HostileRequest {
  /** What the generator did, for failure messages. */
  what: string;
  path: string;
  headers: Record<string, string>;
  body: Buffer;
  marker: string;
}

const s = (v: string) => ({ stringValue: v });

/** A valid OTLP/JSON request of the signal, marked. */
export function validRequest(signal: Signal, appId: string, marker: string): Record<string, unknown> {
  const now = `${BigInt(Date.now()) * 1_000_000n}`;
  const resource = { attributes: [{ key: RUM_APP_ID, value: s(appId) }] };
  const attributes = [
    { key: SESSION_ID, value: s(marker) },
    { key: 'fuzz.marker', value: s(marker) },
  ];
  if (signal === 'logs')
    return {
      resourceLogs: [
        {
          resource,
          scopeLogs: [
            {
              scope: { name: 'fuzz' },
              logRecords: [
                {
                  timeUnixNano: now,
                  eventName: EventName.EXCEPTION,
                  attributes: [...attributes, { key: 'exception.message', value: s('boom') }],
                },
                {
                  timeUnixNano: now,
                  eventName: EventName.ACTION,
                  attributes: [...attributes, { key: 'rum.action.type', value: s('click') }],
                },
              ],
            },
          ],
        },
      ],
    };
  if (signal === 'traces')
    return {
      resourceSpans: [
        {
          resource,
          scopeSpans: [
            {
              scope: { name: 'fuzz' },
              spans: [
                {
                  traceId: '5b8efff798038103d269b633813fc60c',
                  spanId: 'eee19b7ec3c1b174',
                  name: 'GET /api',
                  kind: 3,
                  startTimeUnixNano: now,
                  endTimeUnixNano: now,
                  attributes,
                },
              ],
            },
          ],
        },
      ],
    };
  return {
    resourceMetrics: [
      {
        resource,
        scopeMetrics: [
          {
            scope: { name: 'fuzz' },
            metrics: [
              { name: 'fuzz.gauge', gauge: { dataPoints: [{ timeUnixNano: now, asDouble: 1, attributes }] } },
            ],
          },
        ],
      },
    ],
  };
}

const PROTO_TYPE: Record<Signal, [keyof typeof proto, string]> = {
  traces: ['trace', 'ExportTraceServiceRequest'],
  logs: ['logs', 'ExportLogsServiceRequest'],
  metrics: ['metrics', 'ExportMetricsServiceRequest'],
};

/** The protobuf encoding of an OTLP/JSON request (hex ids become bytes). */
export function toProtobuf(signal: Signal, json: Record<string, unknown>): Buffer {
  const [pkg, name] = PROTO_TYPE[signal];
  const withBytes = JSON.parse(JSON.stringify(json), (k, v) =>
    (k === 'traceId' || k === 'spanId') && typeof v === 'string'
      ? Buffer.from(v, 'hex').toString('base64')
      : v,
  );
  const type = proto[pkg].v1[name]!;
  return Buffer.from(type.encode(type.fromObject(withBytes)).finish());
}

/** Values of the wrong type or of absurd size for any field. */
const wrongValue = fc.oneof(
  fc.anything({ maxDepth: 3 }),
  fc.constantFrom(
    null,
    true,
    -1,
    1e308,
    -1e308,
    '',
    'NaN',
    [],
    {},
    '18446744073709551616',
    '-9223372036854775809',
  ),
);

const absurdTime = fc.constantFrom(
  '0',
  '-1',
  '18446744073709551615',
  '99999999999999999999999999',
  '1e30',
  'yesterday',
  '1.5',
  -5,
  1e308,
  Number.MAX_SAFE_INTEGER + 2,
  '253402300800000000000', // year 10000
  '',
  null,
  true,
);

const badId = fc.oneof(
  fc.constantFrom(
    '',
    '0',
    'zz'.repeat(16),
    '00000000000000000000000000000000',
    'ab'.repeat(15) + 'a',
    'ab'.repeat(17),
  ),
  fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), maxLength: 70 }),
  fc.string({ maxLength: 40 }),
);

/** Paths to every value in a JSON document. */
function paths(
  value: unknown,
  prefix: (string | number)[] = [],
  out: (string | number)[][] = [],
): (string | number)[][] {
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const p = [...prefix, Array.isArray(value) ? Number(k) : k];
      out.push(p);
      paths(v, p, out);
    }
  }
  return out;
}

function setAt(doc: unknown, path: (string | number)[], value: unknown): void {
  let node = doc as Record<string | number, unknown>;
  for (const k of path.slice(0, -1)) node = node[k] as Record<string | number, unknown>;
  node[path[path.length - 1]!] = value;
}

/** The first record (log record, span or data point) of a request, whose fields are mutated. */
function firstRecord(signal: Signal, doc: Record<string, unknown>): Record<string, unknown> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const d = doc as any;
  if (signal === 'logs') return d.resourceLogs[0].scopeLogs[0].logRecords[0];
  if (signal === 'traces') return d.resourceSpans[0].scopeSpans[0].spans[0];
  return d.resourceMetrics[0].scopeMetrics[0].metrics[0].gauge.dataPoints[0];
}

/** A nested AnyValue `depth` levels deep, written as text (JSON.stringify would overflow its own stack). */
function deepValueJson(depth: number, kind: 'kvlist' | 'array'): string {
  const open =
    kind === 'kvlist' ? '{"kvlistValue":{"values":[{"key":"k","value":' : '{"arrayValue":{"values":[';
  const close = kind === 'kvlist' ? '}]}}' : ']}}';
  return open.repeat(depth) + '{"stringValue":"x"}' + close.repeat(depth);
}

type Mutation = {
  what: string;
  apply(signal: Signal, doc: Record<string, unknown>): Record<string, unknown> | string;
};

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.tuple(fc.nat(), wrongValue).map(([i, v]) => ({
    what: `wrong type ${JSON.stringify(v)?.slice(0, 40)} at path #${i}`,
    apply: (_signal: Signal, doc: Record<string, unknown>) => {
      const all = paths(doc);
      setAt(doc, all[i % all.length]!, v);
      return doc;
    },
  })),
  absurdTime.map((t) => ({
    what: `time ${JSON.stringify(t)}`,
    apply: (signal: Signal, doc: Record<string, unknown>) => {
      const r = firstRecord(signal, doc);
      for (const k of ['timeUnixNano', 'startTimeUnixNano', 'endTimeUnixNano', 'observedTimeUnixNano'])
        if (k in r || signal === 'logs') r[k] = t;
      return doc;
    },
  })),
  fc
    .tuple(
      fc.constantFrom(
        MAX_ATTRIBUTE_VALUE_LENGTH - 1,
        MAX_ATTRIBUTE_VALUE_LENGTH,
        MAX_ATTRIBUTE_VALUE_LENGTH + 1,
        1_000_000,
      ),
      fc.constantFrom(
        MAX_ATTRIBUTE_KEY_LENGTH - 1,
        MAX_ATTRIBUTE_KEY_LENGTH,
        MAX_ATTRIBUTE_KEY_LENGTH + 1,
        10_000,
      ),
    )
    .map(([valueLength, keyLength]) => ({
      what: `attribute key of ${keyLength} and value of ${valueLength} characters`,
      apply: (signal: Signal, doc: Record<string, unknown>) => {
        const r = firstRecord(signal, doc);
        (r.attributes as unknown[]).push({ key: 'k'.repeat(keyLength), value: s('v'.repeat(valueLength)) });
        return doc;
      },
    })),
  fc
    .constantFrom(MAX_ATTRIBUTES_PER_EVENT - 1, MAX_ATTRIBUTES_PER_EVENT, MAX_ATTRIBUTES_PER_EVENT + 1, 5000)
    .map((n) => ({
      what: `${n} attributes`,
      apply: (signal: Signal, doc: Record<string, unknown>) => {
        const r = firstRecord(signal, doc);
        for (let i = (r.attributes as unknown[]).length; i < n; i++)
          (r.attributes as unknown[]).push({ key: `a${i}`, value: { intValue: String(i) } });
        return doc;
      },
    })),
  fc
    .tuple(fc.constantFrom(10, 100, 1000, 20_000), fc.constantFrom('kvlist' as const, 'array' as const))
    .map(([depth, kind]) => ({
      what: `attribute nested ${depth} deep (${kind})`,
      apply: (signal: Signal, doc: Record<string, unknown>) => {
        const r = firstRecord(signal, doc);
        (r.attributes as unknown[]).push({ key: 'deep', value: '@@DEEP@@' });
        return JSON.stringify(doc).replace('"@@DEEP@@"', deepValueJson(depth, kind));
      },
    })),
  fc.tuple(badId, badId).map(([traceId, spanId]) => ({
    what: `traceId ${JSON.stringify(traceId)} spanId ${JSON.stringify(spanId)}`,
    apply: (signal: Signal, doc: Record<string, unknown>) => {
      const r = firstRecord(signal, doc);
      r.traceId = traceId;
      r.spanId = spanId;
      if (signal === 'traces') r.parentSpanId = spanId;
      return doc;
    },
  })),
  fc.json({ maxDepth: 4 }).map((j) => ({ what: `random JSON ${j.slice(0, 60)}`, apply: () => j })),
  fc
    .constantFrom(
      '{"resourceLogs":',
      '',
      'null',
      '[]',
      '{"resourceLogs":null}',
      '{"resourceSpans":[{}]}',
      '{"resourceMetrics":[{"scopeMetrics":[{"metrics":[{}]}]}]}',
      '\u0000',
    )
    .map((j) => ({
      what: `odd document ${JSON.stringify(j)}`,
      apply: () => j,
    })),
);

/** One hostile request body and its labels: JSON or protobuf, maybe compressed, maybe broken on the wire. */
const wire = fc.record({
  encoding: fc.constantFrom('json' as const, 'protobuf' as const),
  compression: fc.constantFrom('none', 'none', 'gzip', 'deflate'),
  damage: fc.oneof(
    { weight: 5, arbitrary: fc.constant({ kind: 'none' as const }) },
    fc.record({ kind: fc.constant('truncate' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
    fc.record({
      kind: fc.constant('flip' as const),
      at: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 5 }),
      byte: fc.integer({ min: 0, max: 255 }),
    }),
    fc.constant({ kind: 'invalid-utf8' as const }),
    fc.constant({ kind: 'mislabel-type' as const }),
    fc.constant({ kind: 'mislabel-encoding' as const }),
    fc.uint8Array({ maxLength: 2048 }).map((bytes) => ({ kind: 'random-bytes' as const, bytes })),
  ),
});

let bomb: Buffer | null = null;
/** gzip of zeros one byte longer than the decompressed limit: about 33 KiB on the wire. */
export function gzipBomb(): Buffer {
  bomb ??= gzipSync(Buffer.alloc(MAX_DECOMPRESSED_BODY_BYTES + 1));
  return bomb;
}

export function hostileRequests(appId: string): fc.Arbitrary<(n: number) => HostileRequest> {
  return fc
    .tuple(
      fc.constantFrom<Signal>('traces', 'logs', 'metrics'),
      mutation,
      wire,
      fc.integer({ min: 0, max: 40 }),
    )
    .map(([signal, m, w, bombChance]) => (n: number): HostileRequest => {
      const marker = `fzm${n}z`;
      const doc = m.apply(signal, validRequest(signal, appId, marker));
      let body: Buffer;
      let what = `${signal} ${w.encoding} ${w.compression} ${w.damage.kind}: ${m.what}`;
      if (w.encoding === 'json' || typeof doc === 'string') {
        body = Buffer.from(typeof doc === 'string' ? doc : JSON.stringify(doc));
      } else {
        try {
          body = toProtobuf(signal, doc);
        } catch {
          // The mutation made it unencodable as protobuf (a wrong type): send its JSON labelled protobuf.
          body = Buffer.from(JSON.stringify(doc));
          what += ' (JSON labelled protobuf)';
        }
      }
      if (w.damage.kind === 'invalid-utf8') {
        const i = body.indexOf(marker);
        body =
          i < 0
            ? Buffer.concat([body, Buffer.from([0xc3, 0x28, 0xff])])
            : Buffer.concat([body.subarray(0, i), Buffer.from([0xc3, 0x28, 0xff, 0xfe]), body.subarray(i)]);
      }
      let contentEncoding: string | null = null;
      if (w.compression === 'gzip') {
        body = bombChance === 0 ? gzipBomb() : gzipSync(body);
        contentEncoding = 'gzip';
        if (bombChance === 0) what += ' (gzip bomb)';
      } else if (w.compression === 'deflate') {
        body = deflateSync(body);
        contentEncoding = 'deflate';
      }
      if (w.damage.kind === 'truncate') body = body.subarray(0, Math.floor(body.length * w.damage.at));
      if (w.damage.kind === 'flip') {
        body = Buffer.from(body);
        for (const at of w.damage.at)
          if (body.length) body[Math.floor(at * (body.length - 1))] = w.damage.byte;
      }
      if (w.damage.kind === 'random-bytes') body = Buffer.from(w.damage.bytes);
      let contentType = w.encoding === 'json' ? 'application/json' : 'application/x-protobuf';
      if (w.damage.kind === 'mislabel-type')
        contentType = w.encoding === 'json' ? 'application/x-protobuf' : 'text/plain';
      if (w.damage.kind === 'mislabel-encoding')
        contentEncoding = contentEncoding === 'gzip' ? 'deflate' : contentEncoding ? 'br' : 'gzip';
      const headers: Record<string, string> = { 'content-type': contentType };
      if (contentEncoding) headers['content-encoding'] = contentEncoding;
      return { what, path: `/v1/${signal}`, headers, body, marker };
    });
}
