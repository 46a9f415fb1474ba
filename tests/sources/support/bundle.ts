import { join } from 'node:path';
import { build } from 'esbuild';

/** The model package from source, so that a bundle needs no build of the workspace packages first. */
const ALIASES = { '@otel-rum/model': join(__dirname, '..', '..', '..', 'model', 'src', 'index.ts') };

/** Bundled browser scripts, by entry path, so that each is built once per test file. */
const cache = new Map<string, Promise<string>>();

/**
 * Bundles a browser entry (TypeScript, importing the real npm packages) into one IIFE script, the way
 * an application's build would ship it.
 */
export function bundleBrowserEntry(entryPath: string): Promise<string> {
  let out = cache.get(entryPath);
  if (!out) {
    out = build({
      entryPoints: [entryPath],
      bundle: true,
      write: false,
      format: 'iife',
      platform: 'browser',
      target: 'es2020',
      sourcemap: 'inline',
      logLevel: 'silent',
      alias: ALIASES,
    }).then((r) => {
      const file = r.outputFiles[0];
      if (!file) throw new Error(`esbuild produced no output for ${entryPath}`);
      return file.text;
    });
    cache.set(entryPath, out);
  }
  return out;
}
