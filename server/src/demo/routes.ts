import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HttpError } from '../http/http-error';
import type { Router } from '../http/router';

/** The demo page lives in server/demo/; the SDK bundle comes from sdk-otel's build. /demo and /demo/ are one page. */
const DEMO_DIR = join(__dirname, '..', '..', 'demo');
const SDK_CDN_DIR = join(__dirname, '..', '..', '..', 'sdk-otel', 'dist', 'cdn');

const FILES: Record<string, { path: string; type: string }> = {
  '': { path: join(DEMO_DIR, 'index.html'), type: 'text/html; charset=utf-8' },
  'about.html': { path: join(DEMO_DIR, 'about.html'), type: 'text/html; charset=utf-8' },
  'otel-rum.min.js': { path: join(SDK_CDN_DIR, 'otel-rum.min.js'), type: 'text/javascript; charset=utf-8' },
  // Loaded by the bundle from beside itself when the session is sampled for replay.
  'otel-rum-replay.min.js': {
    path: join(SDK_CDN_DIR, 'otel-rum-replay.min.js'),
    type: 'text/javascript; charset=utf-8',
  },
};

export function addDemoRoutes(router: Router): void {
  const serve =
    (name: string) =>
    async ({ res }: { res: import('node:http').ServerResponse }) => {
      const f = FILES[name]!;
      let body: Buffer;
      try {
        body = await readFile(f.path);
      } catch {
        throw new HttpError(404, `${f.path} is missing: run npm run build first`);
      }
      res.writeHead(200, { 'Content-Type': f.type, 'Cache-Control': 'no-store' });
      res.end(body);
    };
  for (const name of Object.keys(FILES)) router.add('GET', `/demo/${name}`, serve(name));
}
