/*
 * OTLP values as they arrive, in either encoding. Protobuf (decoded by protobufjs) gives Long objects
 * for 64-bit integers and Uint8Array for ids; OTLP/JSON gives strings or numbers and hex ids. These
 * helpers read both, so the mapping code never cares which encoding was used.
 */

export type Attributes = Record<string, unknown>;

export interface OtlpKeyValue {
  key?: string;
  value?: OtlpAnyValue | null;
}

export interface OtlpAnyValue {
  stringValue?: string | null;
  boolValue?: boolean | null;
  intValue?: unknown;
  doubleValue?: number | null;
  arrayValue?: { values?: OtlpAnyValue[] | null } | null;
  kvlistValue?: { values?: OtlpKeyValue[] | null } | null;
  bytesValue?: unknown;
}

/** A 64-bit integer from protobuf (Long), JSON (string or number) or a bigint, as a bigint. */
export function toBigInt(v: unknown): bigint | null {
  if (v === null || v === undefined || v === '') return null;
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? BigInt(Math.trunc(v)) : null;
  if (typeof v === 'string') return /^-?\d+$/.test(v) ? BigInt(v) : null;
  if (typeof v === 'object' && 'low' in v && 'high' in v) {
    const long = v as { low: number; high: number; unsigned?: boolean };
    const big = (BigInt(long.high >>> 0) << 32n) | BigInt(long.low >>> 0);
    return long.unsigned || long.high >= 0 ? big : big - (1n << 64n);
  }
  return null;
}

export function toNumber(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  const b = toBigInt(v);
  return b === null ? null : Number(b);
}

/** Ids are bytes in protobuf and hex in JSON; both become lowercase hex, empty ids become ''. */
export function toHexId(v: unknown): string {
  if (!v) return '';
  if (typeof v === 'string') return v.toLowerCase();
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex');
  return '';
}

export function anyValue(v: OtlpAnyValue | null | undefined): unknown {
  if (!v) return null;
  if (v.stringValue !== undefined && v.stringValue !== null) return v.stringValue;
  if (v.boolValue !== undefined && v.boolValue !== null) return v.boolValue;
  if (v.intValue !== undefined && v.intValue !== null) return toNumber(v.intValue);
  if (v.doubleValue !== undefined && v.doubleValue !== null) return v.doubleValue;
  if (v.arrayValue) return (v.arrayValue.values ?? []).map(anyValue);
  if (v.kvlistValue) return keyValues(v.kvlistValue.values);
  if (v.bytesValue !== undefined && v.bytesValue !== null) return toHexId(v.bytesValue);
  return null;
}

export function keyValues(list: OtlpKeyValue[] | null | undefined): Attributes {
  const out: Attributes = {};
  if (!list) return out;
  for (const kv of list) {
    if (kv && typeof kv.key === 'string') out[kv.key] = anyValue(kv.value);
  }
  return out;
}

export function str(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

export function num(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return null;
}
