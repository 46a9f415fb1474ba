import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HttpError } from '../../http/http-error';
import type { Router } from '../../http/router';

/** The browser SDK's CDN build (sdk-otel/dist/cdn), which this server hands out so one machine is enough. */
export const SDK_CDN_DIR = join(__dirname, '..', '..', '..', '..', 'sdk-otel', 'dist', 'cdn');

const SERVED: Record<string, string> = {
  'otel-rum.min.js': 'text/javascript; charset=utf-8',
  'otel-rum.min.js.map': 'application/json; charset=utf-8',
  'loader.min.js': 'text/javascript; charset=utf-8',
  // Session replay's recorder, which otel-rum.min.js loads from beside itself when a session is recorded.
  'otel-rum-replay.min.js': 'text/javascript; charset=utf-8',
  'otel-rum-replay.min.js.map': 'application/json; charset=utf-8',
};

export async function readSdkFile(name: keyof typeof SERVED & string): Promise<Buffer> {
  try {
    return await readFile(join(SDK_CDN_DIR, name));
  } catch {
    throw new HttpError(
      503,
      `the browser SDK is not built (${join(SDK_CDN_DIR, name)} is missing): run npm run build`,
    );
  }
}

/** GET /sdk/otel-rum.min.js (and its map, and the loader): open, cacheable for a short while. */
export function addSdkRoutes(router: Router): void {
  for (const [name, type] of Object.entries(SERVED)) {
    router.add('GET', `/sdk/${name}`, async ({ res }) => {
      const body = await readSdkFile(name);
      res.writeHead(200, {
        'Content-Type': type,
        'Cache-Control': 'public, max-age=300',
        'Access-Control-Allow-Origin': '*',
      });
      res.end(body);
    });
  }
}
