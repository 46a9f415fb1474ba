import { gzipSync } from 'fflate';
import { REPLAY_GZIP_LEVEL, REPLAY_REQUEST_GZIP_MAX_BYTES } from '@otel-rum/model';
import { concat } from './gzipBody';

/**
 * One gzip stream, synchronously: the complete members compressed elsewhere, then `tail` compressed
 * here as one more member (RFC 1952: a gzip file is a series of members; gunzip reads them all).
 */
export const finishGzip = (members: Uint8Array[], tail: Uint8Array): Uint8Array =>
  concat([...members, gzipSync(tail, { level: REPLAY_GZIP_LEVEL })]);

/**
 * A whole replay request as gzip (sent with Content-Encoding gzip), synchronously: compressed up to
 * REPLAY_REQUEST_GZIP_MAX_BYTES, stored (level 0) past it, where nearly all of it is gzip already.
 */
export const gzipRequest = (body: Uint8Array): Uint8Array<ArrayBuffer> =>
  gzipSync(body, { level: body.length > REPLAY_REQUEST_GZIP_MAX_BYTES ? 0 : REPLAY_GZIP_LEVEL });
