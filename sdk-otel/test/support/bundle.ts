import { build, buildSync, type BuildOptions, type Plugin } from 'esbuild';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const options = require('../../bundle-options.js') as Record<'cdn' | 'loader' | 'replayCdn' | 'esm', object>;

/** The CDN bundle built from the current sources, in memory (what dist/cdn/otel-rum.min.js holds). */
export function cdnBundle(): string {
  return buildSync({ ...options.cdn, write: false }).outputFiles[0]!.text;
}

/** The CDN's replay chunk (otel-rum-replay.min.js) built from the current sources, and its input files. */
export function replayChunk(): { text: string; inputs: string[] } {
  const out = buildSync({ ...options.replayCdn, write: false, metafile: true });
  return { text: out.outputFiles[0]!.text, inputs: Object.keys(out.metafile!.inputs) };
}

/** The ESM build (split), in memory: each output file with its text and the sources it holds. */
export function esmBuild(): { path: string; text: string; inputs: string[] }[] {
  const out = buildSync({
    ...options.esm,
    write: false,
    metafile: true,
    outdir: path.join(__dirname, 'esm-out'),
  });
  return out.outputFiles!.map((f) => ({
    path: path.basename(f.path),
    text: f.text,
    inputs: Object.keys(out.metafile!.outputs[path.relative(process.cwd(), f.path)]?.inputs ?? {}),
  }));
}

/** The source files the CDN bundle is made of. */
export function cdnInputs(): string[] {
  return Object.keys(buildSync({ ...options.cdn, write: false, metafile: true }).metafile!.inputs);
}

/** The async loader snippet built from the current sources. */
export function loaderSnippet(): string {
  return buildSync({ ...options.loader, write: false }).outputFiles[0]!.text;
}

const sdkRoot = path.join(__dirname, '..', '..');
const repoModules = path.join(sdkRoot, '..', 'node_modules');

/** Every installed copy of each @opentelemetry package: name -> [directory, version][]. */
function otelCopies(): Map<string, [string, string][]> {
  const copies = new Map<string, [string, string][]>();
  const visit = (modules: string) => {
    const scope = path.join(modules, '@opentelemetry');
    if (!existsSync(scope)) return;
    for (const name of readdirSync(scope)) {
      const dir = path.join(scope, name);
      const pkg = path.join(dir, 'package.json');
      if (!existsSync(pkg)) continue;
      const { version } = JSON.parse(readFileSync(pkg, 'utf8')) as { version: string };
      copies.set(name, [...(copies.get(name) ?? []), [dir, version]]);
      visit(path.join(dir, 'node_modules'));
    }
  };
  visit(repoModules);
  visit(path.join(sdkRoot, 'node_modules'));
  return copies;
}

const newer = (a: string, b: string) => {
  const [x, y] = [a, b].map((v) => v.split(/[.-]/).map((n) => parseInt(n, 10) || 0));
  for (let i = 0; i < 3; i++) if (x![i] !== y![i]) return x![i]! > y![i]!;
  return false;
};

/**
 * Resolves every @opentelemetry package to its newest installed copy, as one deduplicated install
 * of an application gives (this repository's node_modules holds several copies of some).
 */
function oneCopyOfEachOtelPackage(): Plugin {
  const chosen = new Map<string, string>();
  for (const [name, list] of otelCopies())
    chosen.set(name, list.reduce((best, c) => (newer(c[1], best[1]) ? c : best))[0]);
  return {
    name: 'one-copy-of-each-otel-package',
    setup(b) {
      b.onResolve({ filter: /^@opentelemetry\// }, async (args) => {
        const name = args.path.split('/')[1]!;
        const dir = chosen.get(name);
        if (!dir || args.pluginData === 'dedup') return undefined;
        // Resolve from the folder whose node_modules holds the chosen copy.
        return b.resolve(args.path, {
          kind: args.kind,
          resolveDir: path.join(dir, '..', '..', '..'),
          pluginData: 'dedup',
        });
      });
    },
  };
}

/**
 * An application bundle as an npm user would build it with the OpenTelemetry bridge: the SDK, the
 * `/otel` entry and @opentelemetry/api, from the current sources, with one copy of each OTel
 * package, exposed as `window.App`.
 */
export async function otelAppBundle(extra: BuildOptions = {}): Promise<{ text: string; inputs: string[] }> {
  const out = await build({
    ...(options as unknown as { cjs: object }).cjs,
    entryPoints: undefined,
    stdin: {
      contents: `import * as rum from '../src/index';
import { registerRumTracerProvider } from '../src/otel/index';
import { trace } from '@opentelemetry/api';
window.App = { rum, registerRumTracerProvider, trace };`,
      resolveDir: path.join(__dirname, '..'),
      loader: 'ts',
    },
    format: 'iife',
    // The replay recorder stays out, as an app's bundler splits the dynamic import into a chunk of its own.
    define: { ...(options as unknown as { cdn: { define: object } }).cdn.define },
    plugins: [oneCopyOfEachOtelPackage()],
    metafile: true,
    write: false,
    ...extra,
  });
  return { text: out.outputFiles![0]!.text, inputs: Object.keys(out.metafile!.inputs) };
}
