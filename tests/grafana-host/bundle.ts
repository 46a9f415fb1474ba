/*
 * Bundles the host page with esbuild: Grafana's real public packages (react, @grafana/data, ui,
 * runtime, rxjs, @emotion/css) as installed for the plugins, one copy each. Built once per process.
 */
import { build } from 'esbuild';
import { join } from 'node:path';

let built: Promise<{ js: Buffer; css: Buffer }> | undefined;

export function hostBundle(): Promise<{ js: Buffer; css: Buffer }> {
  built ??= build({
    entryPoints: [join(__dirname, 'browser', 'host.tsx')],
    bundle: true,
    write: false,
    outdir: '/host',
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    minify: false,
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': '"production"', global: 'globalThis' },
    loader: {
      '.svg': 'dataurl',
      '.woff': 'dataurl',
      '.woff2': 'dataurl',
      '.ttf': 'dataurl',
      '.png': 'dataurl',
    },
    logLevel: 'error',
  }).then((r) => {
    const js = r.outputFiles.find((f) => f.path.endsWith('.js'));
    const css = r.outputFiles.find((f) => f.path.endsWith('.css'));
    return { js: Buffer.from(js!.contents), css: Buffer.from(css?.contents ?? new Uint8Array()) };
  });
  return built;
}
