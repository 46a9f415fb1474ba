import {
  MAX_REPLAY_SEGMENT_EVENTS,
  REPLAY_SEGMENT_FLUSH_CHARS,
  REPLAY_SEGMENT_MAX_DURATION_MS,
} from '@otel-rum/model';
import { createGzipBody, type SegmentBody } from './gzipBody';

/** The fields of an rrweb event the segmenter reads; the rest travels untouched. */
export interface RecordedEvent {
  type: number;
  /** Epoch milliseconds. */
  timestamp: number;
}

/** rrweb's EventType.FullSnapshot: the whole DOM, where playback can start. */
export const FULL_SNAPSHOT = 2;

/** Where the events of a segment were recorded: taken when its first event arrives. */
export interface SegmentContext {
  sessionId: string;
  viewId?: string;
  url?: string;
}

/** A closed segment: its events as one gzip-compressed JSON array, and what its record says about them. */
export interface Segment extends SegmentContext {
  /** Order of the segment in its recording (one recording per page load), from 0. */
  sequence: number;
  /** gzip of the JSON array of rrweb events. */
  body: Uint8Array;
  eventCount: number;
  start: number;
  end: number;
  hasFullSnapshot: boolean;
}

/**
 * Why a segment was closed: 'hide' and 'stop' must be sent at once (the page may be going away), and
 * so must 'flush' (the app called flush()).
 */
export type CutReason = 'time' | 'size' | 'count' | 'view' | 'session' | 'flush' | 'hide' | 'stop';

export interface SegmenterOptions {
  /** Where events belong now; undefined when they belong nowhere (no live session): they are dropped. */
  context(): SegmentContext | undefined;
  onSegment(segment: Segment, reason: CutReason): void;
  /** How a segment's body is built (gzip as it grows by default). */
  createBody?(): SegmentBody;
}

export interface Segmenter {
  /** Adds an event; false when it was dropped because it belongs to no session. */
  add(event: RecordedEvent): boolean;
  /** Closes the open segment (if it holds anything). */
  cut(reason: CutReason): void;
}

/**
 * Cuts the stream of rrweb events into segments of one session each: after REPLAY_SEGMENT_MAX_DURATION_MS, at
 * REPLAY_SEGMENT_FLUSH_CHARS of JSON or MAX_REPLAY_SEGMENT_EVENTS events, and whenever the owner cuts
 * (view change, new session, flush(), page hide). A full snapshot does not close its segment: what
 * follows it shares the segment's envelope and its compression dictionary (the snapshot's strings).
 * Each event is serialised once, when it arrives, and compressed as the segment grows, so that closing
 * a segment needs no async step.
 */
export function createSegmenter(o: SegmenterOptions): Segmenter {
  const createBody = o.createBody ?? createGzipBody;
  let body: SegmentBody | undefined;
  const finishing = new Set<SegmentBody>();
  let count = 0;
  let chars = 0;
  let start = 0;
  let end = 0;
  let full = false;
  let ctx: SegmentContext = { sessionId: '' };
  let sequence = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const cut = (reason: CutReason) => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (body) {
      const b = body;
      const meta = { ...ctx, sequence: sequence++, eventCount: count, start, end, hasFullSnapshot: full };
      body = undefined;
      count = 0;
      chars = 0;
      full = false;
      finishing.add(b);
      b.finish((bytes) => {
        finishing.delete(b);
        o.onSegment({ ...meta, body: bytes }, reason);
      });
    }
    // The page may be going away (or the app wants it sent): what is being finished elsewhere is finished now.
    if (reason === 'hide' || reason === 'stop' || reason === 'flush') finishing.forEach((b) => b.hurry());
  };

  return {
    add(event) {
      // Asked at every event: a segment never runs on past its session's end.
      const now = o.context();
      if (!now || (body && now.sessionId !== ctx.sessionId)) cut('session');
      if (!now) return false;
      if (!body) {
        body = createBody();
        ctx = now;
        start = end = event.timestamp;
        timer = setTimeout(() => cut('time'), REPLAY_SEGMENT_MAX_DURATION_MS);
      }
      const text = JSON.stringify(event);
      body.add(text);
      count++;
      chars += text.length + 1;
      start = Math.min(start, event.timestamp);
      end = Math.max(end, event.timestamp);
      if (event.type === FULL_SNAPSHOT) full = true;
      if (chars >= REPLAY_SEGMENT_FLUSH_CHARS) cut('size');
      else if (count >= MAX_REPLAY_SEGMENT_EVENTS) cut('count');
      return true;
    },
    cut,
  };
}
