/*
 * `npm run demo:traffic`: scripted visits of the demo shop in real Chromium, through the otel-rum SDK,
 * sent to a running otel-rum server, so that every bundled web dashboard has data.
 *
 *   npm run demo:traffic -- [--server http://localhost:4318] [--app demo_shop] [--sessions 20]
 *                           [--token <admin token>] [--parallel 2] [--endpoint <OTLP URL>]
 *
 * The pages send to --endpoint (default: the server itself), e.g. the collector gateway of the
 * docker-compose stack, so that the generated metrics get data too.
 *
 * The token (default: RUM_API_TOKEN, else the file data/rum.duckdb.admin-token that the server writes
 * at its first start) is used once, to register the application when the server does not know it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { APP_ID_PATTERN } from '@otel-rum/model';
import { launchChromium } from '../support/chromium';
import { SDK_BUNDLE, startShop } from './shop';
import { runVisits } from './traffic';

const ROOT = join(dirname(SDK_BUNDLE), '..', '..', '..');
/** Sessions a run makes when --sessions is not given. */
const DEFAULT_SESSIONS = 20;
/** Most sessions one run may make. */
const MAX_SESSIONS = 1000;

function args(argv: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i += 2) {
    const k = argv[i]!;
    if (!k.startsWith('--') || argv[i + 1] === undefined)
      throw new Error(`expected --name value pairs, got "${k}"`);
    out[k.slice(2)] = argv[i + 1]!;
  }
  return out;
}

function fail(message: string): never {
  console.error(`demo:traffic: ${message}`);
  process.exit(2);
}

async function main() {
  let a: Record<string, string>;
  try {
    a = args(process.argv.slice(2));
  } catch (e) {
    fail((e as Error).message);
  }
  const server = (a.server ?? 'http://localhost:4318').replace(/\/$/, '');
  const appId = a.app ?? 'demo_shop';
  const sessions = Number(a.sessions ?? DEFAULT_SESSIONS);
  const parallel = Number(a.parallel ?? 2);
  if (!APP_ID_PATTERN.test(appId)) fail(`--app must be letters, digits and _ (at most 48), got "${appId}"`);
  if (!Number.isInteger(sessions) || sessions < 1 || sessions > MAX_SESSIONS)
    fail(`--sessions must be a whole number from 1 to ${MAX_SESSIONS}, got "${a.sessions}"`);
  if (!Number.isInteger(parallel) || parallel < 1 || parallel > 8)
    fail(`--parallel must be a whole number from 1 to 8, got "${a.parallel}"`);
  if (!existsSync(SDK_BUNDLE)) fail(`${SDK_BUNDLE} is missing: run npm run build first`);

  const ready = await fetch(`${server}/readyz`).catch(() => null);
  if (!ready?.ok) fail(`no otel-rum server answers at ${server} (start one with npm start)`);
  const tokenFile = join(ROOT, 'data', 'rum.duckdb.admin-token');
  const token =
    a.token ??
    process.env.RUM_API_TOKEN ??
    (existsSync(tokenFile) ? readFileSync(tokenFile, 'utf8').trim() : '');
  const auth = { authorization: `Bearer ${token}` };
  const known = await fetch(`${server}/api/v1/apps/${appId}`, { headers: auth });
  if (known.status === 401 || known.status === 403)
    fail(`the server refused the token (${known.status}): pass an admin token with --token`);
  if (known.status === 404) {
    const made = await fetch(`${server}/api/v1/apps`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({
        appId,
        name: 'Demo shop (traffic generator)',
        type: 'web',
        allowedOrigins: ['*'],
      }),
    });
    if (made.status !== 201) fail(`registering ${appId} answered ${made.status}: ${await made.text()}`);
    console.error(`registered application ${appId}`);
  } else if (!known.ok) fail(`GET /api/v1/apps/${appId} answered ${known.status}: ${await known.text()}`);

  const endpoint = (a.endpoint ?? server).replace(/\/$/, '');
  const shop = await startShop({ appId, endpoint });
  const browser = await launchChromium();
  const started = Date.now();
  const bar = (done: number) => {
    const width = 30;
    const filled = Math.round((done / sessions) * width);
    process.stderr.write(
      `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${sessions} sessions`,
    );
  };
  bar(0);
  try {
    await runVisits(browser, shop.url, sessions, bar, parallel);
  } finally {
    process.stderr.write('\n');
    await browser.close();
    await shop.close();
  }
  console.log(
    `sessions=${sessions} app=${appId} server=${server} wall_s=${((Date.now() - started) / 1000).toFixed(1)}`,
  );
}

main().catch((e) => fail(e instanceof Error ? e.message : String(e)));
