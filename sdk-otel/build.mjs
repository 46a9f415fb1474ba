// Builds the published forms: ESM and CJS (with .d.ts types), the optional OpenTelemetry bridge
// (otel.js), the CDN bundle, its lazily loaded replay chunk and the loader snippet.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const opts = require('./bundle-options.js');
const dist = path.join(opts.root, 'dist');

rmSync(dist, { recursive: true, force: true });
await Promise.all([
  build({ ...opts.esm, outdir: path.join(dist, 'esm') }),
  build({ ...opts.cjs, outfile: path.join(dist, 'cjs/index.js') }),
  build({ ...opts.otelEsm, outfile: path.join(dist, 'esm/otel.js') }),
  build({ ...opts.otelCjs, outfile: path.join(dist, 'cjs/otel.js') }),
  build({ ...opts.cdn, outfile: path.join(dist, 'cdn/otel-rum.min.js'), sourcemap: true }),
  build({ ...opts.loader, outfile: path.join(dist, 'cdn/loader.min.js') }),
  build({ ...opts.replayCdn, outfile: path.join(dist, 'cdn/otel-rum-replay.min.js'), sourcemap: true }),
]);
execFileSync(
  process.execPath,
  [require.resolve('typescript/bin/tsc'), '-p', path.join(opts.root, 'tsconfig.build.json')],
  { stdio: 'inherit' },
);
console.log('sdk-otel: built dist/esm, dist/cjs, dist/types, dist/cdn');
