import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

/** One OTLP/HTTP request as the backend received it. */
export interface ReceivedRequest {
  path: string;
  headers: IncomingMessage['headers'];
  /** Parsed JSON body (after gunzip when Content-Encoding was gzip). */
  body: Record<string, unknown>;
  /** Status the backend answered with. */
  status: number;
}

type AnyValue = {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string;
  doubleValue?: number;
  arrayValue?: { values: AnyValue[] };
};
type KeyValue = { key: string; value: AnyValue };

export const plainValue = (v: AnyValue): unknown =>
  v.stringValue ??
  v.boolValue ??
  (v.intValue !== undefined ? Number(v.intValue) : undefined) ??
  v.doubleValue ??
  v.arrayValue?.values.map(plainValue);

export const plainAttributes = (kvs: KeyValue[] | undefined): Record<string, unknown> =>
  Object.fromEntries((kvs ?? []).map((kv) => [kv.key, plainValue(kv.value)]));

/** A log record flattened for assertions. */
export interface ReceivedEvent {
  eventName: string;
  timeUnixNano: string;
  severityNumber: number;
  traceId?: string;
  spanId?: string;
  attributes: Record<string, unknown>;
  resource: Record<string, unknown>;
}

/** A span flattened for assertions. */
export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  status: { code: number; message?: string };
  attributes: Record<string, unknown>;
  resource: Record<string, unknown>;
}

type Handler = (req: IncomingMessage, res: ServerResponse, body: Buffer) => void;

/**
 * A local HTTP server for browser tests: serves pages and the SDK bundle, receives OTLP/HTTP JSON on
 * /v1/logs and /v1/traces (recording every request, answering with scripted statuses), and hosts
 * extra routes (an application API that checks the traceparent it gets).
 */
export class OtlpBackend {
  readonly requests: ReceivedRequest[] = [];
  private server: Server;
  private pages = new Map<string, { type: string; body: string }>();
  private routes = new Map<string, Handler>();
  /**
   * Statuses (and headers, delays) to answer the next OTLP requests with, in order; then 200. An entry
   * with `match` only answers a request whose body text contains it.
   */
  readonly script: { status: number; headers?: Record<string, string>; delayMs?: number; match?: string }[] =
    [];
  private waiters: (() => void)[] = [];
  url = '';

  constructor() {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => this.handle(req, res, Buffer.concat(chunks)));
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  serve(path: string, body: string, type = 'text/html'): void {
    this.pages.set(path, { type, body });
  }

  route(path: string, handler: Handler): void {
    this.routes.set(path, handler);
  }

  reset(): void {
    this.requests.length = 0;
    this.script.length = 0;
  }

  events(): ReceivedEvent[] {
    const out: ReceivedEvent[] = [];
    for (const r of this.requests) {
      if (r.path !== '/v1/logs' || r.status !== 200) continue;
      for (const rl of (r.body.resourceLogs as {
        resource: { attributes: KeyValue[] };
        scopeLogs: { logRecords: Record<string, unknown>[] }[];
      }[]) ?? [])
        for (const sl of rl.scopeLogs)
          for (const rec of sl.logRecords)
            out.push({
              ...(rec as unknown as ReceivedEvent),
              attributes: plainAttributes(rec.attributes as KeyValue[]),
              resource: plainAttributes(rl.resource.attributes),
            });
    }
    return out;
  }

  spans(): ReceivedSpan[] {
    const out: ReceivedSpan[] = [];
    for (const r of this.requests) {
      if (r.path !== '/v1/traces' || r.status !== 200) continue;
      for (const rs of (r.body.resourceSpans as {
        resource: { attributes: KeyValue[] };
        scopeSpans: { spans: Record<string, unknown>[] }[];
      }[]) ?? [])
        for (const ss of rs.scopeSpans)
          for (const span of ss.spans)
            out.push({
              ...(span as unknown as ReceivedSpan),
              attributes: plainAttributes(span.attributes as KeyValue[]),
              resource: plainAttributes(rs.resource.attributes),
            });
    }
    return out;
  }

  /** Resolves when `predicate` holds on what was received, or rejects after `timeoutMs`. */
  async waitFor<T>(
    predicate: () => T | undefined | false,
    timeoutMs = 5000,
    what = 'the expected telemetry',
  ): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = predicate();
      if (v) return v;
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }

  private handle(req: IncomingMessage, res: ServerResponse, raw: Buffer) {
    const path = (req.url ?? '/').split('?')[0]!;
    const cors = {
      'Access-Control-Allow-Origin': '*',
      'Access-Control-Allow-Headers': 'content-type, content-encoding, traceparent, b3',
      'Access-Control-Expose-Headers': 'retry-after',
    };
    if (req.method === 'OPTIONS') {
      res.writeHead(204, cors).end();
      return;
    }
    if (req.method === 'POST' && (path === '/v1/logs' || path === '/v1/traces')) {
      const text = (req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
      const at = this.script.findIndex((s) => !s.match || text.includes(s.match));
      const next = at >= 0 ? this.script.splice(at, 1)[0]! : { status: 200 };
      this.requests.push({ path, headers: req.headers, body: JSON.parse(text), status: next.status });
      const answer = () => {
        res
          .writeHead(next.status, { ...cors, 'Content-Type': 'application/json', ...next.headers })
          .end('{}');
        this.waiters.splice(0).forEach((w) => w());
      };
      if (next.delayMs) setTimeout(answer, next.delayMs);
      else answer();
      return;
    }
    const route = this.routes.get(path);
    if (route) return route(req, res, raw);
    const page = this.pages.get(path);
    if (page) {
      res.writeHead(200, { 'Content-Type': page.type, 'Cache-Control': 'no-store' }).end(page.body);
      return;
    }
    res.writeHead(404, cors).end('not found');
  }
}
