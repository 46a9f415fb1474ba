/*
 * Loads the recorder chunk (recorder.ts with rrweb), which is never part of the eager bundle.
 * - ESM build: a dynamic import; the bundler (ours, or the app's) splits it into a chunk of its own.
 * - CDN build (__REPLAY_SCRIPT__ defined true by bundle-options.js): otel-rum-replay.min.js, from where
 *   the CDN bundle itself was loaded (ownScriptUrl), by a classic script (no CORS needed). It defines the global
 *   REPLAY_GLOBAL. The other branch is dropped from each build.
 */
declare const __REPLAY_SCRIPT__: boolean | undefined;
type RecorderChunk = typeof import('./recorder');

export const REPLAY_CHUNK_FILE = 'otel-rum-replay.min.js';
export const REPLAY_GLOBAL = 'OtelRumReplay';

const fromScript = typeof __REPLAY_SCRIPT__ === 'boolean' && __REPLAY_SCRIPT__;

/**
 * The URL of the script this code runs from: the file of the innermost frame of a stack trace taken
 * here (the page's URL when the bundle is inline, or when the stack names no file). Not
 * `document.currentScript`: read while the bundle evaluates (it is null afterwards), it is the page's
 * first element given to JavaScript, whose prototype chain the browser then sets up (about 0.5 ms),
 * on every page load for the few sessions that record replay. A stack trace taken at the top level
 * would cost more still: V8 reparses the functions on the stack for their positions, there the whole
 * bundle; here only the few small ones that led to the load.
 */
// V8 "    at fn (https://x/a.js:1:2)" or "    at https://x/a.js:1:2"; SpiderMonkey and JavaScriptCore
// "fn@https://x/a.js:1:2". Nothing is imported in this module: an import here keeps the dynamic
// import() below in the CDN bundle (esbuild), and rrweb with it.
export const ownScriptUrl = (stack = new Error().stack): string =>
  /\w+:\/\/[^\s()]+(?=:\d+:\d+)/.exec(stack!)?.[0] || location.href;

const loadScript = (): Promise<RecorderChunk> =>
  new Promise((resolve, reject) => {
    const w = window as unknown as Record<string, RecorderChunk | undefined>;
    const done = () => (w[REPLAY_GLOBAL] ? resolve(w[REPLAY_GLOBAL]) : reject(new Error(s.src)));
    if (w[REPLAY_GLOBAL]) return done();
    const s = document.createElement('script');
    s.src = new URL(REPLAY_CHUNK_FILE, ownScriptUrl()).href;
    s.onload = s.onerror = done;
    document.head.appendChild(s);
  });

export const loadRecorder: () => Promise<RecorderChunk> = fromScript
  ? loadScript
  : () => import('./recorder');
