/*
 * Session replay end to end: real Chromium loads a page of another origin with the built CDN bundle
 * (served by the real server at /sdk/), which loads the recorder chunk from beside itself; the user
 * types and clicks, the page is left; the recording is read back through GET /api/v1/sessions/{id}/replay
 * and played in rrweb's own Replayer (rrweb 2.2.2, a test dependency).
 * Replay at rate 0 and without consent send nothing and load nothing. Privacy: under the default level
 * (mask) no text or typed value of the page reaches the server, in any request, except inside an
 * element that allows it; at `allow`, an element can mask or hide itself. The last changes before
 * page hide arrive.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import * as M from '@otel-rum/model';
import type { Browser, Page, Request } from 'playwright-core';
import { launchChromium } from './support/chromium';
import { apiFetch, eventually, getJson, startTestServer, type TestServer } from './support/server';
import { startAppServer, type AppServer } from './sources/support/app-server';

jest.setTimeout(60_000);

// eslint-disable-next-line @typescript-eslint/no-require-imports
const proto = require('@opentelemetry/otlp-transformer/build/src/generated/root').opentelemetry.proto
  .collector;

const CARD = '4242 4242 4242';

/** rrweb event types and incremental sources (rrweb's EventType and IncrementalSource). */
const RR = { fullSnapshot: 2, incremental: 3, meta: 4, mutation: 0, mouseInteraction: 2, input: 5, click: 2 };

interface RrwebEvent {
  type: number;
  timestamp: number;
  data: { source?: number; type?: number; text?: string; id?: number };
}
interface ReplaySegment {
  viewId: string | null;
  sequence: number;
  encoding: string;
  privacy: string | null;
  hasFullSnapshot: boolean;
  eventCount: number;
  events: RrwebEvent[];
}

let server: TestServer;
let app: AppServer;
let browser: Browser;

const page = (init: string) => `<!doctype html>
<html><head><title>Checkout</title>
<script src="__RUM__/sdk/otel-rum.min.js"></script>
<script>OtelRum.init({ appId: 'replay_shop', endpoint: '__RUM__', flushIntervalMs: 300, ${init} });</script>
</head><body>
<h1>Checkout</h1>
<p id="notice">Pay with your card</p>
<form><label>Card <input id="card" name="card" autocomplete="off"></label>
<button id="pay" type="button">Pay</button></form>
<div class="rum-block" id="offers">Private offer for Ada</div>
<section data-rum-privacy="allow" id="hours"><p>Open from nine to five</p>
<label>Coupon <input id="coupon" autocomplete="off"></label><button id="apply" type="button">Apply coupon</button></section>
<p data-rum-privacy="mask" id="customer">Order 7781 for Grace Hopper</p>
<p data-rum-privacy="hidden" id="note">Delivery note: leave at the back door</p>
<p id="status">idle</p>
<script>document.getElementById('pay').onclick = () => (document.getElementById('notice').textContent = 'Paid');</script>
</body></html>`;

beforeAll(async () => {
  [server, browser] = await Promise.all([
    startTestServer({ demo: false, apps: ['replay_shop'] }),
    launchChromium(),
  ]);
  const files: Record<string, string> = {
    '/rate100.html': page('replaySampleRate: 100'),
    '/rate0.html': page('replaySampleRate: 0'),
    '/allow.html': page("replaySampleRate: 100, privacy: 'allow'"),
    // The async loader pasted into the page (what the server's web snippet holds) loads the bundle.
    '/loader.html': page('replaySampleRate: 100').replace(
      '<script src="__RUM__/sdk/otel-rum.min.js"></script>',
      `<script data-src="__RUM__/sdk/otel-rum.min.js">${readFileSync(
        join(__dirname, '..', 'sdk-otel', 'dist', 'cdn', 'loader.min.js'),
        'utf8',
      )}</script>`,
    ),
    // A page whose full snapshot alone, of random text, is over MAX_REPLAY_SEGMENT_BYTES even gzipped
    // (recorded as it is: masked, it would compress to nothing).
    '/huge.html': page("replaySampleRate: 100, privacy: 'allow'").replace(
      '</body>',
      `<pre id="noise"></pre><script>
        const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
        const bytes = new Uint8Array(900000);
        for (let i = 0; i < bytes.length; i += 65536) crypto.getRandomValues(bytes.subarray(i, i + 65536));
        noise.textContent = Array.from(bytes, (b) => abc[b % 64]).join('');
      </script></body>`,
    ),
    '/player.html': '<!doctype html><html><head><title>player</title></head><body></body></html>',
    '/no-consent.html': page("replaySampleRate: 100, trackingConsent: 'not-granted'"),
    // Sessions expire after 1.5 s without input; a clock changes the page all the time. Other
    // collections are off so that nothing but the user's input renews the session.
    '/idle.html': page(
      'replaySampleRate: 100, sessionIdleTimeoutMs: 1500, trackLongTasks: false, trackResources: false, trackWebVitals: false',
    ).replace(
      '</body>',
      '<p id="clock"></p><script>setInterval(() => (clock.textContent = String(Date.now())), 100)</script></body>',
    ),
  };
  for (const k of Object.keys(files)) files[k] = files[k]!.replaceAll('__RUM__', server.url);
  app = await startAppServer({ files });
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
  await server?.close();
});

/**
 * What a page sent and loaded: the bodies of its OTLP log requests as text (inflated; a protobuf
 * request decoded, with its replay segments' gzip bodies inflated: everything that went on the wire,
 * readable), their content types, the Content-Encoding of the protobuf ones, and the scripts it fetched.
 */
function watch(p: Page) {
  const logBodies: string[] = [];
  const contentTypes: string[] = [];
  const protobufEncodings: string[] = [];
  const scripts: string[] = [];
  p.on('request', (r: Request) => {
    if (r.url().endsWith('.js')) scripts.push(r.url());
    if (r.url().endsWith('/v1/logs') && r.method() === 'POST') {
      const raw = r.postDataBuffer();
      if (!raw) return;
      const body = r.headers()['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
      const type = r.headers()['content-type'] ?? '';
      contentTypes.push(type);
      if (!type.includes('protobuf')) return void logBodies.push(body.toString('utf8'));
      protobufEncodings.push(r.headers()['content-encoding'] ?? 'identity');
      const req = proto.logs.v1.ExportLogsServiceRequest.toObject(
        proto.logs.v1.ExportLogsServiceRequest.decode(body),
        { bytes: Buffer },
      ) as { resourceLogs: { scopeLogs: { logRecords: { body?: { bytesValue?: Buffer } }[] }[] }[] };
      const inflated = req.resourceLogs
        .flatMap((rl) => rl.scopeLogs.flatMap((sl) => sl.logRecords))
        .map((rec) => (rec.body?.bytesValue ? gunzipSync(rec.body.bytesValue).toString('utf8') : ''));
      logBodies.push(body.toString('utf8') + inflated.join('\n'));
    }
  });
  return { logBodies, contentTypes, protobufEncodings, scripts };
}

/** The action names a page sent (OTLP/JSON log requests). */
const actionNames = (bodies: string[]) =>
  bodies
    .filter((b) => b.startsWith('{'))
    .flatMap((b) =>
      (
        JSON.parse(b) as {
          resourceLogs: {
            scopeLogs: {
              logRecords: {
                eventName?: string;
                attributes: { key: string; value: { stringValue?: string } }[];
              }[];
            }[];
          }[];
        }
      ).resourceLogs.flatMap((rl) => rl.scopeLogs.flatMap((sl) => sl.logRecords)),
    )
    .filter((r) => r.eventName === M.EventName.ACTION)
    .map((r) => r.attributes.find((a) => a.key === M.RUM_ACTION_NAME)?.value.stringValue);

/** flush(): the open replay segment is closed and sent now, with what else is batched. */
const flushNow = (p: Page) =>
  p.evaluate(() => (window as unknown as { OtelRum: { flush(): void } }).OtelRum.flush());

const sessionIdOf = (p: Page) =>
  p.evaluate(() => (window as unknown as { OtelRum: { getSessionId(): string } }).OtelRum.getSessionId());

async function useCheckout(p: Page) {
  await p.click('#card');
  await p.keyboard.type(CARD, { delay: 20 });
  await p.click('#pay');
  await p.click('#coupon');
  await p.keyboard.type('SPRING', { delay: 20 });
  await p.click('#apply');
  await p.waitForTimeout(200);
}

/** Plays events to their end in rrweb's Replayer (in Chromium) and reads the replayed page. */
async function playBack(events: RrwebEvent[]) {
  const p = await browser.newPage();
  try {
    await p.goto(`${app.url}/player.html`);
    await p.addScriptTag({
      content: readFileSync(join(dirname(require.resolve('rrweb')), 'rrweb.umd.min.cjs'), 'utf8'),
    });
    return await p.evaluate((evs) => {
      const { Replayer } = (window as unknown as { rrweb: { Replayer: new (...a: unknown[]) => never } })
        .rrweb;
      const replayer = new Replayer(evs, { root: document.body, showWarning: false, mouseTail: false }) as {
        pause(offsetMs: number): void;
        iframe: HTMLIFrameElement;
      };
      replayer.pause(evs[evs.length - 1]!.timestamp - evs[0]!.timestamp + 1);
      const doc = replayer.iframe.contentDocument!;
      // A blocked element is kept as an empty box of its size, with only its class.
      const offers = doc.querySelector('.rum-block');
      return {
        notice: doc.getElementById('notice')?.textContent,
        card: (doc.getElementById('card') as HTMLInputElement | null)?.value,
        hours: doc.querySelector('#hours p')?.textContent,
        coupon: (doc.getElementById('coupon') as HTMLInputElement | null)?.value,
        customer: doc.getElementById('customer')?.textContent,
        note: doc.getElementById('note')?.textContent ?? null,
        offers: offers?.textContent ?? null,
        offersBox: offers ? getComputedStyle(offers).height !== '0px' : false,
      };
    }, events);
  } finally {
    await p.close();
  }
}

it('records a sampled session under the default level mask: no text or typed value reaches the server but what an element allows', async () => {
  const p = await browser.newPage();
  const seen = watch(p);
  await p.goto(`${app.url}/rate100.html`);
  await p.waitForFunction(
    () => typeof (window as unknown as { OtelRumReplay?: unknown }).OtelRumReplay === 'object',
  );
  const sessionId = await sessionIdOf(p);
  // The open segment (meta + full snapshot) waits up to REPLAY_FLUSH_INTERVAL_MS; flush() sends it now.
  await eventually(async () => {
    await flushNow(p);
    const r = await apiFetch(server.url, `/api/v1/sessions/${sessionId}/replay?app_id=replay_shop`);
    return r.status === 200 ? true : undefined;
  });
  await useCheckout(p);
  // The last click's action is sent once it has ended (its end is not what this test is about).
  await eventually(async () => (actionNames(seen.logBodies).includes('Apply coupon') ? true : undefined));
  // Leaving the page is a page hide: the open segment goes out at once.
  await p.goto('about:blank');
  await p.close();

  const replay = await eventually(async () => {
    const r = await getJson<{ segments: ReplaySegment[]; nextCursor: string | null }>(
      server.url,
      `/api/v1/sessions/${sessionId}/replay?app_id=replay_shop`,
    );
    const events = r.segments.flatMap((s) => s.events);
    const clicked = events.some(
      (e) => e.type === RR.incremental && e.data.source === RR.mouseInteraction && e.data.type === RR.click,
    );
    return clicked ? r : undefined;
  }, 15_000);

  expect(seen.scripts.filter((u) => u.endsWith('/sdk/otel-rum-replay.min.js'))).toHaveLength(1);
  const segments = replay.segments;
  expect(segments.map((s) => s.sequence)).toEqual([...segments.keys()]);
  const [first] = segments;
  expect(first).toMatchObject({ sequence: 0, hasFullSnapshot: true, encoding: 'gzip', privacy: 'mask' });
  expect(first!.viewId).toEqual(expect.stringMatching(/^[0-9a-f]{16}$/));
  expect(first!.events.map((e) => e.type).slice(0, 2)).toEqual([RR.meta, RR.fullSnapshot]);
  // Every segment is gzip, the one closed at page hide too, and says the level it was recorded under.
  for (const s of segments) expect(s).toMatchObject({ encoding: 'gzip', privacy: 'mask' });
  // Replay requests are OTLP protobuf (the segment as raw bytes), the request gzip whole
  // (Content-Encoding) for its Resource and attributes, the page-hide one too.
  expect(seen.contentTypes).toContain('application/x-protobuf');
  expect(seen.protobufEncodings.length).toBeGreaterThan(0);
  expect(new Set(seen.protobufEncodings)).toEqual(new Set(['gzip']));
  for (const s of segments) expect(s.events).toHaveLength(s.eventCount);

  const events = segments.flatMap((s) => s.events);
  const inputs = events.filter((e) => e.type === RR.incremental && e.data.source === RR.input);
  expect(inputs.length).toBeGreaterThan(0);
  // Masked: as many asterisks as characters typed, never the characters.
  expect(inputs.map((e) => e.data.text)).toContain('*'.repeat(CARD.length));
  const everything = JSON.stringify(events);
  // Neither what the server stored nor anything on the wire holds the page's text or what was typed.
  const wire = seen.logBodies.join('\n');
  // The card as typed past its first group (a bare "4242" also turns up in random hex ids).
  for (const secret of [
    CARD.slice(0, 9),
    'Pay with your card',
    'Paid',
    'Private offer',
    'Grace Hopper',
    'back door',
  ]) {
    expect(everything).not.toContain(secret);
    expect(wire).not.toContain(secret);
  }
  // The element that allows it is recorded as it is, typing included.
  expect(everything).toContain('Open from nine to five');
  expect(everything).toContain('SPRING');
  // Action names follow the level of what was clicked.
  expect(actionNames(seen.logBodies)).toEqual(expect.arrayContaining(['button#pay', 'Apply coupon']));
  expect(wire).not.toMatch(/"stringValue":"Pay"/);

  // What the API returns plays in rrweb's own player: the layout as the user left it, masked.
  const played = await playBack(events);
  expect(played).toEqual({
    notice: '****',
    card: '*'.repeat(CARD.length),
    hours: 'Open from nine to five',
    coupon: 'SPRING',
    customer: '***** **** *** ***** ******',
    // Hidden: an empty box without even its id.
    note: null,
    offers: '',
    offersBox: true,
  });

  // The metadata rows stay among the events; the session says it has a replay.
  const session = await getJson(server.url, `/api/v1/sessions/${sessionId}?app_id=replay_shop`);
  expect(session.hasReplay).toBe(true);
});

it("at level 'allow', records text and typing but what an element masks or hides, and says so", async () => {
  const p = await browser.newPage();
  const seen = watch(p);
  await p.goto(`${app.url}/allow.html`);
  await p.waitForFunction(
    () => typeof (window as unknown as { OtelRumReplay?: unknown }).OtelRumReplay === 'object',
  );
  const sessionId = await sessionIdOf(p);
  await useCheckout(p);
  await eventually(async () => (actionNames(seen.logBodies).includes('Apply coupon') ? true : undefined));
  await p.goto('about:blank');
  await p.close();
  const replay = await eventually(async () => {
    const r = await getJson<{ segments: ReplaySegment[] }>(
      server.url,
      `/api/v1/sessions/${sessionId}/replay?app_id=replay_shop`,
    );
    return r.segments.some((s) => JSON.stringify(s.events).includes('SPRING')) ? r : undefined;
  }, 15_000);
  for (const s of replay.segments) expect(s.privacy).toBe('allow');
  const events = replay.segments.flatMap((s) => s.events);
  const everything = JSON.stringify(events);
  const wire = seen.logBodies.join('\n');
  expect(everything).toContain('Pay with your card');
  for (const secret of ['Grace Hopper', 'back door']) {
    expect(everything).not.toContain(secret);
    expect(wire).not.toContain(secret);
  }
  expect(actionNames(seen.logBodies)).toEqual(expect.arrayContaining(['Pay', 'Apply coupon']));
  const played = await playBack(events);
  expect(played).toMatchObject({
    notice: 'Paid',
    card: CARD,
    customer: '***** **** *** ***** ******',
    // Hidden: an empty box without even its id.
    note: null,
  });
});

it('delivers the last changes before page hide, gzip, with no wait', async () => {
  const p = await browser.newPage();
  await p.goto(`${app.url}/allow.html`);
  await p.waitForFunction(
    () => typeof (window as unknown as { OtelRumReplay?: unknown }).OtelRumReplay === 'object',
  );
  const sessionId = await sessionIdOf(p);
  await p.waitForTimeout(1000);
  // Changes in the very task that leaves the page: only the page-hide segment can carry them.
  const marks = await p.evaluate(() => {
    const out: string[] = [];
    for (let i = 0; i < 5; i++) {
      const m = `last-change-${i}-${Date.now()}`;
      document.getElementById('status')!.textContent = m;
      out.push(m);
    }
    return out;
  });
  // More than REPLAY_WORKER_MEMBER_BYTES: the compression worker hands a gzip member of it back; what
  // follows it has not compressed yet, and the page finishes the segment itself, one gzip stream of both.
  await p.evaluate((n) => {
    document.getElementById('status')!.textContent = 'bulk '.repeat(n);
  }, M.REPLAY_WORKER_MEMBER_BYTES / 4);
  await p.waitForTimeout(500);
  await p.evaluate(() => {
    document.getElementById('status')!.textContent = 'leaving now';
    location.href = 'about:blank';
  });
  await p.waitForURL('about:blank');
  await p.close();
  const replay = await eventually(async () => {
    const r = await getJson<{ segments: ReplaySegment[] }>(
      server.url,
      `/api/v1/sessions/${sessionId}/replay?app_id=replay_shop`,
    );
    return JSON.stringify(r.segments).includes('leaving now') ? r : undefined;
  }, 15_000);
  const everything = JSON.stringify(replay.segments.flatMap((s) => s.events));
  // rrweb coalesces the changes of one task into one mutation: the last text of the task is what counts.
  expect(everything).toContain(marks[marks.length - 1]);
  expect(everything).toContain('bulk bulk');
  expect(replay.segments[replay.segments.length - 1]!.encoding).toBe('gzip');
});

it('finds the recorder chunk beside the bundle when the async loader loaded it', async () => {
  const p = await browser.newPage();
  const seen = watch(p);
  await p.goto(`${app.url}/loader.html`);
  await p.waitForFunction(
    () => typeof (window as unknown as { OtelRumReplay?: unknown }).OtelRumReplay === 'object',
  );
  const sessionId = await sessionIdOf(p);
  const replay = await eventually(async () => {
    await flushNow(p);
    const r = await apiFetch(server.url, `/api/v1/sessions/${sessionId}/replay?app_id=replay_shop`);
    return r.status === 200 ? ((await r.json()) as { segments: ReplaySegment[] }) : undefined;
  });
  expect(replay.segments[0]!.hasFullSnapshot).toBe(true);
  expect(seen.scripts).toEqual(
    expect.arrayContaining([`${server.url}/sdk/otel-rum.min.js`, `${server.url}/sdk/otel-rum-replay.min.js`]),
  );
  await p.close();
});

it('does not record a page whose full snapshot is over MAX_REPLAY_SEGMENT_BYTES, and says so', async () => {
  const p = await browser.newPage();
  const seen = watch(p);
  const warnings: string[] = [];
  p.on('console', (m) => m.type() === 'warning' && warnings.push(m.text()));
  await p.goto(`${app.url}/huge.html`);
  await p.waitForFunction(
    () => typeof (window as unknown as { OtelRumReplay?: unknown }).OtelRumReplay === 'object',
  );
  await eventually(async () => (warnings.some((w) => w.includes('too large to record')) ? true : undefined));
  expect(warnings.join('\n')).toContain('MAX_REPLAY_SEGMENT_BYTES');
  const sessionId = await sessionIdOf(p);
  await useCheckout(p);
  await p.waitForTimeout(5500);
  expect(seen.logBodies.filter((b) => b.includes('rum.replay.segment'))).toEqual([]);
  expect((await apiFetch(server.url, `/api/v1/sessions/${sessionId}/replay?app_id=replay_shop`)).status).toBe(
    404,
  );
  await p.close();
});

it('sends no replay and loads no recorder at replaySampleRate 0', async () => {
  const p = await browser.newPage();
  const seen = watch(p);
  await p.goto(`${app.url}/rate0.html`);
  await p.waitForFunction(() => typeof (window as unknown as { OtelRum?: unknown }).OtelRum === 'object');
  const sessionId = await sessionIdOf(p);
  await useCheckout(p);
  await p.goto('about:blank');
  await p.close();

  // The session's other events arrived (the SDK did run and send)...
  await eventually(async () => {
    const s = await apiFetch(server.url, `/api/v1/sessions/${sessionId}?app_id=replay_shop`);
    return s.status === 200 ? true : undefined;
  });
  expect(seen.logBodies.length).toBeGreaterThan(0);
  // ...but no replay segment, and the recorder was never loaded.
  expect(seen.logBodies.filter((b) => b.includes('rum.replay.segment'))).toEqual([]);
  expect(seen.scripts.filter((u) => u.includes('otel-rum-replay'))).toEqual([]);
  const replay = await apiFetch(server.url, `/api/v1/sessions/${sessionId}/replay?app_id=replay_shop`);
  expect(replay.status).toBe(404);
  const session = await getJson(server.url, `/api/v1/sessions/${sessionId}?app_id=replay_shop`);
  expect(session.hasReplay).toBe(false);
});

it('sends nothing and loads no recorder without consent, records once it is granted, stops when it is revoked', async () => {
  const p = await browser.newPage();
  const seen = watch(p);
  await p.goto(`${app.url}/no-consent.html`);
  await p.waitForFunction(() => typeof (window as unknown as { OtelRum?: unknown }).OtelRum === 'object');
  await useCheckout(p);
  await p.waitForTimeout(500);
  expect(seen.logBodies).toEqual([]);
  expect(seen.scripts.filter((u) => u.includes('otel-rum-replay'))).toEqual([]);
  expect(await sessionIdOf(p)).toBeUndefined();

  // Consent granted: the recorder loads and the first segment holds a full snapshot of the page as it is now.
  await p.evaluate(() =>
    (window as unknown as { OtelRum: { setConsent(c: string): void } }).OtelRum.setConsent('granted'),
  );
  const sessionId = await sessionIdOf(p);
  const replay = await eventually(async () => {
    await flushNow(p);
    const r = await apiFetch(server.url, `/api/v1/sessions/${sessionId}/replay?app_id=replay_shop`);
    return r.status === 200 ? ((await r.json()) as { segments: ReplaySegment[] }) : undefined;
  });
  expect(replay.segments[0]!.hasFullSnapshot).toBe(true);
  const snapshot = JSON.stringify(replay.segments[0]!.events);
  // The page as it is now (the click's change, masked at the default level).
  expect(snapshot).toContain('"textContent":"****"');
  expect(snapshot).not.toContain('Paid');
  expect(snapshot).not.toContain(CARD.slice(0, 9));

  // Consent revoked: the recorder stops and nothing more leaves, not even at page hide.
  await p.waitForTimeout(500);
  await p.evaluate(() =>
    (window as unknown as { OtelRum: { setConsent(c: string): void } }).OtelRum.setConsent('not-granted'),
  );
  const sentBefore = seen.logBodies.length;
  await p.click('#card');
  await p.keyboard.type('after revoke', { delay: 10 });
  await p.click('#pay');
  await p.waitForTimeout(5500);
  await p.goto('about:blank');
  expect(seen.logBodies.slice(sentBefore)).toEqual([]);
  await p.close();
});

it('records nothing while the session is expired, and starts the next session from a full snapshot', async () => {
  const p = await browser.newPage();
  await p.goto(`${app.url}/idle.html`);
  await p.waitForFunction(
    () => typeof (window as unknown as { OtelRumReplay?: unknown }).OtelRumReplay === 'object',
  );
  const first = await sessionIdOf(p);
  const loadedAt = await p.evaluate(() => Date.now());
  // Idle well past the timeout, while the clock keeps changing the page.
  await p.waitForTimeout(3000);
  const clickedAt = await p.evaluate(() => Date.now());
  await p.click('#pay');
  const second = await sessionIdOf(p);
  expect(second).not.toBe(first);
  await p.waitForTimeout(300);
  await p.goto('about:blank');
  await p.close();

  const replayOf = (id: string, check: (segments: ReplaySegment[]) => boolean) =>
    eventually(async () => {
      const r = await apiFetch(server.url, `/api/v1/sessions/${id}/replay?app_id=replay_shop`);
      if (r.status !== 200) return undefined;
      const { segments } = (await r.json()) as { segments: ReplaySegment[] };
      return check(segments) ? segments : undefined;
    }, 15_000);
  const before = await replayOf(first, (s) => s.length > 0);
  const after = await replayOf(second, (s) =>
    s
      .flatMap((x) => x.events)
      .some((e) => e.type === RR.incremental && e.data.source === RR.mouseInteraction),
  );
  // The first session recorded the clock while it was live, and ends when it expired (its last
  // input was the page load).
  const mutations = before
    .flatMap((x) => x.events)
    .filter((e) => e.type === RR.incremental && e.data.source === RR.mutation);
  expect(mutations.length).toBeGreaterThan(3);
  const lastBefore = Math.max(...before.flatMap((s) => s.events.map((e) => e.timestamp)));
  expect(lastBefore).toBeLessThan(loadedAt + 1500 + 300);
  // The second starts at the click, with a full snapshot, and nothing of the idle time is anywhere.
  expect(after[0]!.hasFullSnapshot).toBe(true);
  expect(after[0]!.events.map((e) => e.type).slice(0, 2)).toEqual([RR.meta, RR.fullSnapshot]);
  const firstAfter = Math.min(...after.flatMap((s) => s.events.map((e) => e.timestamp)));
  expect(firstAfter).toBeGreaterThanOrEqual(clickedAt - 50);
});
