/* esbuild options shared by build.mjs and the browser tests (which bundle in memory). */
const path = require('node:path');
const { version } = require('./package.json');

const root = __dirname;

/*
 * The replay compression worker (src/replay/compressWorker.ts with fflate), bundled and minified into
 * a string that the recorder (src/replay/workerBody.ts, `__REPLAY_WORKER_SOURCE__`) starts from a Blob
 * URL, so the worker needs no file of its own beside the bundle. A define, not a plugin: the tests
 * build in memory with esbuild's synchronous API, which takes no plugins.
 */
const replayWorkerSource = require('esbuild').buildSync({
  entryPoints: [path.join(root, 'src/replay/compressWorker.ts')],
  bundle: true,
  format: 'iife',
  minify: true,
  target: 'es2020',
  platform: 'browser',
  alias: { '@otel-rum/model': path.join(root, '../model/src/index.ts') },
  legalComments: 'none',
  write: false,
}).outputFiles[0].text;

const common = {
  bundle: true,
  target: 'es2020',
  platform: 'browser',
  define: {
    __SDK_VERSION__: JSON.stringify(version),
    __REPLAY_WORKER_SOURCE__: JSON.stringify(replayWorkerSource),
  },
  // The model's TypeScript sources, so unused names tree-shake away.
  alias: { '@otel-rum/model': path.join(root, '../model/src/index.ts') },
  legalComments: 'none',
  logLevel: 'warning',
};

/*
 * The optional OpenTelemetry bridge (src/otel) for npm users: the OTel packages stay imports the
 * app's bundler resolves (one copy with the app's own), and its imports of the SDK ('../index')
 * become imports of the package itself, so both entries share one running SDK.
 */
const otelEntry = {
  ...common,
  entryPoints: [path.join(root, 'src/otel/index.ts')],
  external: ['@opentelemetry/*'],
  plugins: [
    {
      name: 'sdk-as-package',
      setup(b) {
        b.onResolve({ filter: /^\.\.\/index$/ }, () => ({ path: '@otel-rum/sdk-otel', external: true }));
      },
    },
  ],
};

/** How the replay recorder chunk is loaded (src/replay/loadRecorder.ts): a dynamic import, or the CDN's script. */
const replayByImport = { __REPLAY_SCRIPT__: 'false' };
const replayByScript = { __REPLAY_SCRIPT__: 'true' };

module.exports = {
  root,
  version,
  /* ESM: split, so that the recorder (and rrweb) is a chunk of its own, loaded by dynamic import. */
  esm: {
    ...common,
    define: { ...common.define, ...replayByImport },
    entryPoints: { index: path.join(root, 'src/index.ts') },
    format: 'esm',
    splitting: true,
    chunkNames: '[name]-[hash]',
  },
  /* CJS cannot split: the recorder is inlined, still loaded only when a session is sampled for replay. */
  cjs: {
    ...common,
    define: { ...common.define, ...replayByImport },
    entryPoints: [path.join(root, 'src/index.ts')],
    format: 'cjs',
  },
  otelEsm: { ...otelEntry, format: 'esm' },
  otelCjs: { ...otelEntry, format: 'cjs' },
  /*
   * The eager CDN bundle. Its functions nearly all run at init, so V8 is told to compile them all with
   * the script (explicit compile hint, Chromium 136+; a comment elsewhere) instead of one by one at
   * their first call: loaded with <script src>, that compiling happens on a background thread while
   * the script streams in, not on the main thread during init (bench: external_* lines).
   */
  cdn: {
    ...common,
    define: { ...common.define, ...replayByScript },
    entryPoints: [path.join(root, 'src/cdn.ts')],
    format: 'iife',
    minify: true,
    banner: { js: '//# allFunctionsCalledOnLoad' },
  },
  /* The CDN's replay chunk, loaded from beside otel-rum.min.js; it defines the global OtelRumReplay. */
  replayCdn: {
    ...common,
    entryPoints: [path.join(root, 'src/replay/recorder.ts')],
    format: 'iife',
    globalName: 'OtelRumReplay',
    minify: true,
  },
  loader: { ...common, entryPoints: [path.join(root, 'src/loader/loader.ts')], format: 'iife', minify: true },
};
