/*
 * OTLP/HTTP protobuf encoding (opentelemetry-proto, logs and trace services), written by hand: only
 * the fields the SDK sends. Records are encoded once when queued; a request is the records joined
 * under their ResourceLogs/ScopeLogs (or ResourceSpans/ScopeSpans) envelope.
 */
import { toUnixNano } from '../clock';
import type { AttributeValue, Attributes, RawEvent, RawSpan } from '../lifecycle/rumEvents';
import { DOUBLE_ATTRIBUTES } from './numberTypes';
import { SEVERITY_ERROR, SEVERITY_INFO } from './otlpJson';

// Created at the first protobuf string, not when the bundle loads (most pages send OTLP/JSON).
let utf8: TextEncoder | undefined;

/** Appends protobuf wire data to a growing byte list. */
class Writer {
  // Set in the constructor, not as a class field: at the bundles' target (ES2020) esbuild turns fields
  // into Object.defineProperty through helpers of its own, bytes in the eager bundle for nothing.
  declare readonly out: number[];
  constructor() {
    this.out = [];
  }

  varint(n: number): this {
    while (n > 0x7f) {
      this.out.push((n & 0x7f) | 0x80);
      n = Math.floor(n / 128);
    }
    this.out.push(n);
    return this;
  }
  /** int64 as a varint, negative numbers in two's complement (ten bytes). */
  int64(field: number, n: number): this {
    this.tag(field, 0);
    if (n >= 0 && n <= Number.MAX_SAFE_INTEGER) return this.varint(n);
    let v = BigInt.asUintN(64, BigInt(Math.trunc(n)));
    while (v > 0x7fn) {
      this.out.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.out.push(Number(v));
    return this;
  }
  tag(field: number, wire: number): this {
    return this.varint(field * 8 + wire);
  }
  bytes(field: number, b: ArrayLike<number>): this {
    this.tag(field, 2).varint(b.length);
    for (let i = 0; i < b.length; i++) this.out.push(b[i]!);
    return this;
  }
  string(field: number, s: string): this {
    return this.bytes(field, (utf8 ??= new TextEncoder()).encode(s));
  }
  hex(field: number, hex: string): this {
    const b: number[] = [];
    for (let i = 0; i < hex.length; i += 2) b.push(parseInt(hex.slice(i, i + 2), 16));
    return this.bytes(field, b);
  }
  fixed64Nanos(field: number, ms: number): this {
    let v = BigInt(toUnixNano(ms));
    this.tag(field, 1);
    for (let i = 0; i < 8; i++, v >>= 8n) this.out.push(Number(v & 0xffn));
    return this;
  }
  fixed32(field: number, n: number): this {
    this.tag(field, 5);
    for (let i = 0; i < 4; i++, n >>>= 8) this.out.push(n & 0xff);
    return this;
  }
  double(field: number, d: number): this {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setFloat64(0, d, true);
    this.tag(field, 1);
    for (const x of b) this.out.push(x);
    return this;
  }
  message(field: number, fill: (w: Writer) => void): this {
    const inner = new Writer();
    fill(inner);
    return this.bytes(field, inner.out);
  }
  result(): Uint8Array<ArrayBuffer> {
    return Uint8Array.from(this.out);
  }
}

/** AnyValue fields into `w`. */
function anyValue(w: Writer, key: string, v: AttributeValue): void {
  if (typeof v === 'string') w.string(1, v);
  else if (typeof v === 'boolean') w.tag(2, 0).varint(v ? 1 : 0);
  else if (typeof v === 'number') {
    if (Number.isInteger(v) && !DOUBLE_ATTRIBUTES.has(key)) w.int64(3, v);
    else w.double(4, v);
  } else if (Array.isArray(v))
    w.message(5, (arr) => v.forEach((s) => arr.message(1, (item) => item.string(1, String(s)))));
}

function attributes(w: Writer, field: number, attrs: Attributes): void {
  for (const key in attrs) {
    const v = attrs[key];
    if (v === undefined || (typeof v === 'number' && !isFinite(v))) continue;
    w.message(field, (kv) => kv.string(1, key).message(2, (av) => anyValue(av, key, v)));
  }
}

/** One LogRecord message. */
export function encodeLogRecordProto(e: RawEvent, observed: number): Uint8Array<ArrayBuffer> {
  const severity = e.severity ?? SEVERITY_INFO;
  const w = new Writer()
    .fixed64Nanos(1, e.time)
    .tag(2, 0)
    .varint(severity)
    .string(3, severity >= SEVERITY_ERROR ? 'ERROR' : 'INFO');
  // AnyValue: string_value is field 1, bytes_value field 7.
  if (e.bodyBytes) w.message(5, (b) => b.bytes(7, e.bodyBytes!));
  else if (e.body !== undefined) w.message(5, (b) => b.string(1, e.body!));
  attributes(w, 6, e.attributes);
  if (e.traceId) w.hex(9, e.traceId);
  if (e.spanId) w.hex(10, e.spanId);
  return w.fixed64Nanos(11, observed).string(12, e.name).result();
}

/** One Span message. */
export function encodeSpanProto(s: RawSpan): Uint8Array<ArrayBuffer> {
  const w = new Writer().hex(1, s.traceId).hex(2, s.spanId);
  if (s.parentSpanId) w.hex(4, s.parentSpanId);
  w.string(5, s.name).tag(6, 0).varint(s.kind).fixed64Nanos(7, s.start).fixed64Nanos(8, s.end);
  attributes(w, 9, s.attributes);
  w.message(15, (st) => {
    if (s.statusMessage) st.string(2, s.statusMessage);
    if (s.status) st.tag(3, 0).varint(s.status);
  });
  return w.fixed32(16, s.sampled ? 257 : 256).result();
}

/** The Resource and InstrumentationScope messages, shared by every request. */
export function encodeEnvelopeProto(resource: Attributes, scopeName: string, scopeVersion: string) {
  const r = new Writer();
  attributes(r, 1, resource);
  return { resource: r.out, scope: new Writer().string(1, scopeName).string(2, scopeVersion).out };
}

/** An export request: ExportLogsServiceRequest or ExportTraceServiceRequest (same shape, different field meaning). */
export function protoRequest(
  env: { resource: number[]; scope: number[] },
  records: Uint8Array[],
): Uint8Array<ArrayBuffer> {
  return new Writer()
    .message(1, (rl) =>
      rl.bytes(1, env.resource).message(2, (sl) => {
        sl.bytes(1, env.scope);
        for (const r of records) sl.bytes(2, r);
      }),
    )
    .result();
}
