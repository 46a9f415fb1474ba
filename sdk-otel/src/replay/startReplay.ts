import type { RumConfig } from '../config/config';
import type { RumBus } from '../lifecycle/rumEvents';
import { isSampled } from '../session/sampling';
import { loadRecorder } from './loadRecorder';
import type { Recorder } from './recorder';
import type { SegmentContext } from './segmenter';

/** Salt of the replay sampling decision (0: events, 1: traces). */
export const SAMPLE_REPLAY = 2;

export interface ReplayHost {
  bus: RumBus;
  /** The live session id (renewing an expired session). */
  sessionId(): string;
  /** Where recorded events belong now; undefined while the session is expired (nothing is recorded). */
  context(): SegmentContext | undefined;
  /** Whether the session's events are sent at all (sessionSampleRate). */
  sessionSampled(id: string): boolean;
}

/** Whether a session is recorded: sampled in for events (sessionSampleRate) and for replay (replaySampleRate). */
export const replaySampled = (id: string, config: RumConfig, sessionSampled: (id: string) => boolean) =>
  isSampled(id, config.replaySampleRate, SAMPLE_REPLAY) && sessionSampled(id);

/**
 * Records sessions sampled for replay (replaySampleRate, decided from the session id like the other
 * sampling, so every tab agrees). Only what decides lives in the eager bundle: the recorder and rrweb
 * are loaded as a chunk of their own when a session is sampled in. Runs only with consent (startRum
 * runs only then). Returns the stop function.
 */
export function startReplay(config: RumConfig, host: ReplayHost): () => void {
  let recorder: Recorder | undefined;
  let loading = false;
  let stopped = false;
  const wanted = (id: string) => replaySampled(id, config, host.sessionSampled);
  const begin = () => {
    if (stopped || loading || recorder || !wanted(host.sessionId())) return;
    loading = true;
    loadRecorder().then(
      (chunk) => {
        loading = false;
        if (stopped) return;
        // Not named startRecorder, as it was when the chunk was handed its privacy options: a chunk
        // of another version (a CDN caching one file longer than the other) fails here, unrecorded,
        // rather than reading options this bundle does not pass, and recording unmasked.
        recorder = chunk.startRecording(host, config);
        // The session may have changed while the chunk loaded.
        if (!wanted(host.sessionId())) end();
      },
      (e: Error) => {
        loading = false;
        console.warn(`OtelRum: replay not loaded (${e.message})`);
      },
    );
  };
  const end = () => {
    recorder?.stop();
    recorder = undefined;
  };
  // At replaySampleRate 0 begin() decides no at once (no id is sampled in), and nothing loads.
  begin();
  const off = host.bus.on('sessionRenewed', ({ id }) => (wanted(id) ? begin() : end()));
  return () => {
    stopped = true;
    off();
    end();
  };
}
