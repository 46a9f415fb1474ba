/*
 * The session recorder: the lazily loaded part of replay (its own chunk, with rrweb). startReplay.ts
 * loads it only for sessions sampled for replay, once consent is granted.
 */
import { record } from '@rrweb/record';
import {
  EventName,
  MAX_REPLAY_SEGMENT_BYTES,
  RUM_REPLAY_ENCODING,
  RUM_REPLAY_END,
  RUM_REPLAY_EVENT_COUNT,
  RUM_REPLAY_HAS_FULL_SNAPSHOT,
  RUM_REPLAY_PRIVACY,
  RUM_REPLAY_SEQUENCE,
  RUM_REPLAY_START,
} from '@otel-rum/model';
import type { RumConfig } from '../config/config';
import type { RumBus } from '../lifecycle/rumEvents';
import { rrwebPrivacyOptions, type ReplayPrivacy } from './privacy';
import { gzipRequest } from './gzipSplice';
import { createWorkerBodies } from './workerBody';
import { createSegmenter, FULL_SNAPSHOT, type Segment, type SegmentContext } from './segmenter';

/** rrweb's EventType.Meta: page URL and size, emitted right before each full snapshot. */
const META = 4;

export interface RecorderHost {
  bus: RumBus;
  /** The live session, view and page URL; undefined while the session is expired. */
  context(): SegmentContext | undefined;
}

export interface Recorder {
  /** Sends what is recorded and stops. */
  stop(): void;
}

/**
 * Records the page with rrweb and sends it as rum.replay.segment events on the bus (the assembly adds
 * the common attributes; the transport sends them in requests of their own, each compressed whole by
 * the segment's `gzip`). Each segment is gzip,
 * compressed while it was recorded, so every segment, the one closed at page hide included, is sent
 * compressed the moment it closes.
 */
export function startRecording(
  host: RecorderHost,
  config: Pick<RumConfig, 'privacy' | 'replayBlockSelector' | 'replayMaskTextSelector'>,
): Recorder {
  // Read here, in the lazily loaded chunk, rather than gathered by the eager bundle's startReplay.
  const privacy: ReplayPrivacy = {
    privacy: config.privacy,
    blockSelector: config.replayBlockSelector,
    maskTextSelector: config.replayMaskTextSelector,
  };
  const send = (s: Segment) => {
    const size = s.body.length;
    if (size > MAX_REPLAY_SEGMENT_BYTES) {
      // What follows a lost segment cannot be played: start again from a new full snapshot, unless
      // the snapshot is what is too large, which another would be too: then this page is not recorded.
      const giveUp = s.hasFullSnapshot;
      console.warn(
        `OtelRum: replay segment ${s.sequence} of ${size} bytes dropped (over MAX_REPLAY_SEGMENT_BYTES)${giveUp ? '; this page is too large to record' : ''}`,
      );
      if (giveUp) stop();
      else restart();
      return;
    }
    host.bus.emit('collected', {
      name: EventName.REPLAY_SEGMENT,
      time: s.start,
      attributes: {
        [RUM_REPLAY_SEQUENCE]: s.sequence,
        [RUM_REPLAY_START]: s.start,
        [RUM_REPLAY_END]: s.end,
        [RUM_REPLAY_EVENT_COUNT]: s.eventCount,
        [RUM_REPLAY_ENCODING]: 'gzip',
        [RUM_REPLAY_HAS_FULL_SNAPSHOT]: s.hasFullSnapshot,
        [RUM_REPLAY_PRIVACY]: privacy.privacy,
      },
      bodyBytes: s.body,
      gzip: gzipRequest,
      context: { sessionId: s.sessionId, viewId: s.viewId, url: s.url },
    });
  };

  // Compressed in a worker where one can start; on the page otherwise.
  const bodies = createWorkerBodies();
  const segmenter = createSegmenter({
    context: host.context,
    onSegment: send,
    createBody: bodies?.create,
  });

  // Set while events are dropped (no live session, or a new session begins): the recording restarts
  // at the next full snapshot, taken in a task of its own (not from inside rrweb's callbacks).
  let gap = false;
  let snapshotDue = false;
  let stopped = false;
  let emitting = false;
  const restart = () => {
    gap = true;
    if (snapshotDue) return;
    snapshotDue = true;
    setTimeout(() => {
      snapshotDue = false;
      if (gap && !stopped && host.context()) record.takeFullSnapshot();
    }, 0);
  };
  const offs = [
    host.bus.on('viewStarted', () => segmenter.cut('view')),
    host.bus.on('sessionRenewed', () => {
      segmenter.cut('session');
      // The new session's replay must be playable on its own: a full snapshot now, before the
      // input that renewed the session is recorded (later if rrweb is in the middle of an event).
      gap = true;
      if (emitting) restart();
      else record.takeFullSnapshot();
    }),
    host.bus.on('flush', () => segmenter.cut('flush')),
    host.bus.on('pageHidden', () => segmenter.cut('hide')),
  ];
  // Filled once record() returns: stop() may run before, while rrweb takes its first snapshot.
  const rrweb: { stop?: () => void } = {};
  rrweb.stop = record({
    emit(event) {
      if (stopped) return;
      if (gap && event.type !== META && event.type !== FULL_SNAPSHOT) {
        if (host.context()) restart();
        return;
      }
      gap = false;
      emitting = true;
      try {
        if (!segmenter.add(event)) gap = true;
      } finally {
        emitting = false;
      }
    },
    ...rrwebPrivacyOptions(privacy),
  });
  // Stopped while rrweb took its first snapshot (a page too large to record).
  if (stopped) rrweb.stop?.();
  function stop() {
    if (stopped) return;
    stopped = true;
    offs.forEach((off) => off());
    rrweb.stop?.();
    segmenter.cut('stop');
    bodies?.close();
  }
  return { stop };
}
