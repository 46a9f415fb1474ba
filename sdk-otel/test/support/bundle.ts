import { buildSync } from 'esbuild';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const options = require('../../bundle-options.js') as Record<'cdn' | 'loader', object>;

/** The CDN bundle built from the current sources, in memory (what dist/cdn/otel-rum.min.js holds). */
export function cdnBundle(): string {
  return buildSync({ ...options.cdn, write: false }).outputFiles[0]!.text;
}

/** The async loader snippet built from the current sources. */
export function loaderSnippet(): string {
  return buildSync({ ...options.loader, write: false }).outputFiles[0]!.text;
}
