/* esbuild options shared by build.mjs and the browser tests (which bundle in memory). */
const path = require('node:path');
const { version } = require('./package.json');

const root = __dirname;
const common = {
  bundle: true,
  target: 'es2020',
  platform: 'browser',
  define: { __SDK_VERSION__: JSON.stringify(version) },
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

module.exports = {
  root,
  version,
  esm: { ...common, entryPoints: [path.join(root, 'src/index.ts')], format: 'esm' },
  cjs: { ...common, entryPoints: [path.join(root, 'src/index.ts')], format: 'cjs' },
  otelEsm: { ...otelEntry, format: 'esm' },
  otelCjs: { ...otelEntry, format: 'cjs' },
  cdn: { ...common, entryPoints: [path.join(root, 'src/cdn.ts')], format: 'iife', minify: true },
  loader: { ...common, entryPoints: [path.join(root, 'src/loader/loader.ts')], format: 'iife', minify: true },
};
