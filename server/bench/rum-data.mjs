// Realistic RUM data for the server's benchmarks, as the OTLP/HTTP protobuf requests an SDK sends:
// sessions of three views, each with resources, an action, a web vital, sometimes a long task or an
// error. Shared by bench.mjs (over HTTP) and stages.mjs (each step of ingest on its own).
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(join(import.meta.dirname, '..', 'package.json'));
const proto = require('@opentelemetry/otlp-transformer/build/src/generated/root').opentelemetry.proto;

const PATHS = ['/', '/products', '/products/42', '/cart', '/checkout', '/account', '/search', '/help'];
const s = (v) => ({ stringValue: v });
const d = (v) => ({ doubleValue: v });
const kv = (o) => Object.entries(o).map(([key, value]) => ({ key, value }));

function sessionRecords(n, t0) {
  const sid = `bench-${n.toString(16).padStart(12, '0')}`;
  const out = [];
  let t = t0;
  const ns = () => `${BigInt(Math.round(t)) * 1_000_000n}`;
  for (let v = 0; v < 3; v++) {
    const path = PATHS[(n + v) % PATHS.length];
    const url = `https://shop.example${path}?ref=${n % 7}`;
    const vid = `${sid}-v${v}`;
    const common = { 'session.id': s(sid), 'rum.view.id': s(vid), 'url.full': s(url) };
    out.push({
      timeUnixNano: ns(),
      eventName: 'rum.view',
      attributes: kv({
        ...common,
        'rum.view.name': s(path),
        'rum.view.loading_type': s(v ? 'route_change' : 'initial_load'),
      }),
    });
    for (let r = 0; r < 4; r++) {
      t += 30;
      out.push({
        timeUnixNano: ns(),
        eventName: 'rum.resource',
        attributes: kv({
          ...common,
          'url.full': s(`https://api.example/items/${r}`),
          'rum.resource.type': s('fetch'),
          'rum.resource.duration_ms': d(20 + ((n * 7 + r) % 400)),
          'http.response.status_code': { intValue: (n + r) % 50 === 0 ? 500 : 200 },
        }),
      });
    }
    t += 500;
    out.push({
      timeUnixNano: ns(),
      eventName: 'rum.action',
      attributes: kv({
        ...common,
        'rum.action.type': s('click'),
        'rum.action.name': s(`click on button ${v}`),
        'rum.action.duration_ms': d(50 + (n % 300)),
      }),
    });
    out.push({
      timeUnixNano: ns(),
      eventName: 'browser.web_vital',
      attributes: kv({
        ...common,
        'browser.web_vital.name': s('lcp'),
        'browser.web_vital.value': d(800 + (n % 3000)),
        'browser.web_vital.rating': s('good'),
      }),
    });
    if (n % 10 === v)
      out.push({
        timeUnixNano: ns(),
        eventName: 'rum.long_task',
        attributes: kv({ ...common, 'rum.long_task.duration_ms': d(60 + (n % 200)) }),
      });
    if (n % 20 === v)
      out.push({
        timeUnixNano: ns(),
        eventName: 'exception',
        attributes: kv({
          ...common,
          'exception.type': s('TypeError'),
          'exception.message': s(`Cannot read properties of undefined (reading 'p${n % 5}')`),
          'exception.stacktrace': s(`TypeError: x\n    at render (https://shop.example/app.js:${n % 90}:12)`),
        }),
      });
    t += 5000;
    out.push({
      timeUnixNano: ns(),
      eventName: 'rum.view',
      attributes: kv({
        ...common,
        'rum.view.ended': { boolValue: true },
        'rum.view.time_spent_ms': d(5600),
        'rum.view.lcp_ms': d(800 + (n % 3000)),
      }),
    });
  }
  return out;
}

export function* requests(app, events, batchSize) {
  const resource = {
    attributes: kv({
      'rum.app.id': s(app),
      'service.name': s('shop-web'),
      'service.version': s('1.4.2'),
      'deployment.environment.name': s('production'),
    }),
  };
  let sent = 0;
  let session = 0;
  const t0 = Date.now() - 3600_000;
  while (sent < events) {
    const records = [];
    while (records.length < batchSize && sent + records.length < events)
      records.push(...sessionRecords(session++, t0 + session * 10));
    const batch = records.slice(0, Math.min(batchSize, events - sent));
    sent += batch.length;
    const msg = proto.collector.logs.v1.ExportLogsServiceRequest.fromObject({
      resourceLogs: [{ resource, scopeLogs: [{ scope: { name: 'bench' }, logRecords: batch }] }],
    });
    yield {
      body: proto.collector.logs.v1.ExportLogsServiceRequest.encode(msg).finish(),
      count: batch.length,
    };
  }
}
