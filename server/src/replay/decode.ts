import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import { MAX_REPLAY_SEGMENT_DECODED_BYTES, type ReplayEncoding } from '@otel-rum/model';

const gunzipAsync = promisify(gunzip);

/** The JSON text of a stored recording: inflated when gzip, at most MAX_REPLAY_SEGMENT_DECODED_BYTES. */
export async function segmentJson(encoding: ReplayEncoding, payload: Uint8Array): Promise<string> {
  if (encoding === 'json')
    return Buffer.from(payload.buffer, payload.byteOffset, payload.length).toString('utf8');
  try {
    const text = await gunzipAsync(payload, { maxOutputLength: MAX_REPLAY_SEGMENT_DECODED_BYTES });
    return text.toString('utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new Error(
      code === 'ERR_BUFFER_TOO_LARGE'
        ? `inflates past MAX_REPLAY_SEGMENT_DECODED_BYTES (${MAX_REPLAY_SEGMENT_DECODED_BYTES})`
        : `is not valid gzip (${(e as Error).message})`,
    );
  }
}

/** The rrweb events of a stored recording, or why they cannot be read. */
export async function segmentEvents(
  encoding: ReplayEncoding,
  payload: Uint8Array,
): Promise<{ events: unknown[]; decodedBytes: number } | { error: string }> {
  let text: string;
  try {
    text = await segmentJson(encoding, payload);
  } catch (e) {
    return { error: `the recording ${(e as Error).message}` };
  }
  let events: unknown;
  try {
    events = JSON.parse(text);
  } catch (e) {
    return { error: `the recording is not JSON (${(e as Error).message})` };
  }
  if (!Array.isArray(events)) return { error: 'the recording is not a JSON array of rrweb events' };
  return { events, decodedBytes: text.length };
}
