/*
 * The recording of a rum.replay.segment log record: its body (gzip bytes or JSON text, as
 * rum.replay.encoding says), kept apart from the event row, which holds only the metadata.
 */
import * as M from '@otel-rum/model';
import type { OtlpAnyValue } from '../ingest/otlp/values';
import type { Attributes } from '../ingest/otlp/values';
import type { EventRow, ReplaySegmentRow } from '../store/rows';

const GZIP_MAGIC = [0x1f, 0x8b];

/** The bytes of an OTLP AnyValue body: bytesValue (protobuf bytes or JSON base64) or stringValue. */
function bodyBytes(body: OtlpAnyValue | null | undefined): Buffer | null {
  if (!body) return null;
  const b = body.bytesValue;
  if (b instanceof Uint8Array && b.length > 0) return Buffer.from(b.buffer, b.byteOffset, b.length);
  if (typeof b === 'string' && b.length > 0) return Buffer.from(b, 'base64');
  if (typeof body.stringValue === 'string' && body.stringValue.length > 0)
    return Buffer.from(body.stringValue, 'utf8');
  return null;
}

const int = (v: unknown): number | null =>
  typeof v === 'number' && Number.isInteger(v) ? v : typeof v === 'bigint' ? Number(v) : null;
const finite = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/**
 * The recording of a mapped replay_segment event; null when the record has no body (its metadata
 * is kept, there is nothing to play); or a reason why the record is refused: a body over
 * MAX_REPLAY_SEGMENT_BYTES, an unknown encoding, a gzip body that is not gzip, or no sequence.
 */
export function replaySegmentOf(
  row: EventRow,
  attrs: Attributes,
  body: OtlpAnyValue | null | undefined,
): ReplaySegmentRow | string | null {
  const payload = bodyBytes(body);
  if (!payload) return null;
  if (payload.length > M.MAX_REPLAY_SEGMENT_BYTES)
    return `replay segment body of ${payload.length} bytes is over MAX_REPLAY_SEGMENT_BYTES (${M.MAX_REPLAY_SEGMENT_BYTES})`;
  const encoding = attrs[M.RUM_REPLAY_ENCODING] ?? (body?.stringValue ? 'json' : 'gzip');
  if (!M.REPLAY_ENCODINGS.includes(encoding as M.ReplayEncoding))
    return `${M.RUM_REPLAY_ENCODING} must be one of ${M.REPLAY_ENCODINGS.join(', ')} (got ${JSON.stringify(encoding)})`;
  if (encoding === 'gzip' && (payload[0] !== GZIP_MAGIC[0] || payload[1] !== GZIP_MAGIC[1]))
    return `replay segment says ${M.RUM_REPLAY_ENCODING}=gzip but its body is not gzip`;
  const privacy = attrs[M.RUM_REPLAY_PRIVACY];
  if (privacy !== undefined && !M.PRIVACY_LEVELS.includes(privacy as M.PrivacyLevel))
    return `${M.RUM_REPLAY_PRIVACY} must be one of ${M.PRIVACY_LEVELS.join(', ')} (got ${JSON.stringify(privacy)})`;
  const sequence = int(attrs[M.RUM_REPLAY_SEQUENCE]);
  if (sequence === null || sequence < 0)
    return `replay segment needs ${M.RUM_REPLAY_SEQUENCE}, a whole number from 0`;
  const timeMs = Number(row.timeUs / 1000n);
  return {
    appId: row.appId,
    sessionId: row.sessionId,
    viewId: row.viewId ?? '',
    sequence,
    timeUs: row.timeUs,
    startMs: finite(attrs[M.RUM_REPLAY_START]) ?? timeMs,
    endMs: finite(attrs[M.RUM_REPLAY_END]) ?? timeMs,
    eventCount: int(attrs[M.RUM_REPLAY_EVENT_COUNT]) ?? 0,
    hasFullSnapshot: attrs[M.RUM_REPLAY_HAS_FULL_SNAPSHOT] === true,
    encoding: encoding as M.ReplayEncoding,
    privacy: privacy === undefined ? null : (privacy as M.PrivacyLevel),
    payload,
  };
}
