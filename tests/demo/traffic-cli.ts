/*
 * `npm run demo:traffic`: scripted visits of the demo shop in real Chromium, through the otel-rum SDK,
 * sent to a running otel-rum server, so that every bundled web dashboard has data.
 *
 *   npm run demo:traffic -- [--server http://localhost:4318] [--app demo_shop] [--sessions 20]
 *                           [--token <admin token>] [--parallel 2] [--endpoint <OTLP URL>]
 *                           [--shop <URL of a running shop>] [--wait <seconds>]
 *
 * The pages send to --endpoint (default: the server itself), e.g. the collector gateway of the
 * docker-compose stack, so that the generated metrics get data too. With --shop, the visits go to a
 * shop already running (tests/demo/shop-cli.ts, with its traced backend), whose pages send where that
 * shop was told; otherwise a shop is started in this process. --wait gives the server (and the
 * endpoint) that long to come up before the run gives up, for a stack that is still starting.
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
/** Longest --wait, seconds. */
const MAX_WAIT_S = 600;
/** Pause between two tries while waiting, ms. */
const WAIT_STEP_MS = 1000;

/** Whether anything answers HTTP at `url` (any status: a collector answers GET /v1/logs with 405). */
async function answers(url: string, ok: (status: number) => boolean): Promise<boolean> {
  const r = await fetch(url, { signal: AbortSignal.timeout(5000) }).catch(() => null);
  return r !== null && ok(r.status);
}

/** Tries `check` until it holds or `seconds` have passed. */
async function waitFor(check: () => Promise<boolean>, seconds: number): Promise<boolean> {
  const until = Date.now() + seconds * 1000;
  for (;;) {
    if (await check()) return true;
    if (Date.now() >= until) return false;
    await new Promise((r) => setTimeout(r, WAIT_STEP_MS));
  }
}

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
  const wait = Number(a.wait ?? 0);
  if (!Number.isFinite(wait) || wait < 0 || wait > MAX_WAIT_S)
    fail(`--wait must be a number of seconds from 0 to ${MAX_WAIT_S}, got "${a.wait}"`);
  const shopUrl = a.shop?.replace(/\/$/, '');
  if (shopUrl !== undefined && !/^https?:\/\/[^/]+$/.test(shopUrl))
    fail(`--shop must be the http(s) URL of a running demo shop, got "${a.shop}"`);
  if (!shopUrl && !existsSync(SDK_BUNDLE)) fail(`${SDK_BUNDLE} is missing: run npm run build first`);

  if (!(await waitFor(() => answers(`${server}/readyz`, (s) => s === 200), wait)))
    fail(`no otel-rum server answers at ${server} (start one with npm start)`);
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
  if (endpoint !== server && !(await waitFor(() => answers(`${endpoint}/v1/logs`, () => true), wait)))
    fail(`nothing answers at the endpoint ${endpoint}`);
  if (shopUrl && !(await waitFor(() => answers(`${shopUrl}/`, (s) => s === 200), wait)))
    fail(`no demo shop answers at ${shopUrl} (start one with tests/demo/shop-cli.ts)`);
  const shop = shopUrl
    ? { url: shopUrl, close: async () => undefined }
    : await startShop({ appId, endpoint });
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
    `sessions=${sessions} app=${appId} server=${server} shop=${shop.url} wall_s=${((Date.now() - started) / 1000).toFixed(1)}`,
  );
}

main().catch((e) => fail(e instanceof Error ? e.message : String(e)));
