import { gzipSync } from 'fflate';
import { REPLAY_GZIP_LEVEL } from '@otel-rum/model';
import { concat } from './gzipBody';

/**
 * One gzip stream, synchronously: the complete members compressed elsewhere, then `tail` compressed
 * here as one more member (RFC 1952: a gzip file is a series of members; gunzip reads them all).
 */
export const finishGzip = (members: Uint8Array[], tail: Uint8Array): Uint8Array =>
  concat([...members, gzipSync(tail, { level: REPLAY_GZIP_LEVEL })]);
