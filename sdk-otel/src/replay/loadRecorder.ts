/*
 * Loads the recorder chunk (recorder.ts with rrweb), which is never part of the eager bundle.
 * - ESM build: a dynamic import; the bundler (ours, or the app's) splits it into a chunk of its own.
 * - CDN build (__REPLAY_SCRIPT__ defined true by bundle-options.js): otel-rum-replay.min.js, from where
 *   the CDN bundle itself was loaded, by a classic script (no CORS needed). It defines the global
 *   REPLAY_GLOBAL. The other branch is dropped from each build.
 */
declare const __REPLAY_SCRIPT__: boolean | undefined;
type RecorderChunk = typeof import('./recorder');

export const REPLAY_CHUNK_FILE = 'otel-rum-replay.min.js';
export const REPLAY_GLOBAL = 'OtelRumReplay';

const fromScript = typeof __REPLAY_SCRIPT__ === 'boolean' && __REPLAY_SCRIPT__;
// Read while the bundle's own script runs: currentScript is null afterwards.
const base = fromScript ? (document.currentScript as HTMLScriptElement | null)?.src || location.href : '';

const loadScript = (): Promise<RecorderChunk> =>
  new Promise((resolve, reject) => {
    const w = window as unknown as Record<string, RecorderChunk | undefined>;
    const done = () => (w[REPLAY_GLOBAL] ? resolve(w[REPLAY_GLOBAL]) : reject(new Error(s.src)));
    if (w[REPLAY_GLOBAL]) return done();
    const s = document.createElement('script');
    s.src = new URL(REPLAY_CHUNK_FILE, base).href;
    s.onload = s.onerror = done;
    document.head.appendChild(s);
  });

export const loadRecorder: () => Promise<RecorderChunk> = fromScript
  ? loadScript
  : () => import('./recorder');
