/*
 * An OTLP endpoint that misbehaves, then recovers: a real HTTP server on its own loopback port, in
 * front of the real otel-rum server. Once recovered (and while a mode lets requests through) it
 * forwards every request to the server as it came and hands back the server's answer.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * dead: the port refuses connections. slow: every answer takes SLOW_ANSWER_MS. refusing: 429 and
 * 503 with Retry-After, in turn. flapping: dead and forwarding in turn, FLAP_MS each. hung: takes
 * every request and never answers it (held for good, also after the recovery); every other one is
 * forwarded to the server all the same, which commits it: the sender, left without an answer,
 * must send it again without it being stored twice.
 */
export type BadMode = 'dead' | 'slow' | 'refusing' | 'flapping' | 'hung';

/** How long the slow endpoint holds each request before it forwards it. */
export const SLOW_ANSWER_MS = 10_000;
/** How long the flapping endpoint stays down, then up. */
export const FLAP_MS = 2_000;

export interface BadEndpoint {
  url: string;
  /** Requests that reached the endpoint (not counting those a closed port refused), by answer;
   * `cut_after_answer`: forwarded and answered by the server, but the connection was closed before
   * the answer went back; `cut_connections`: connections that had carried a request, closed by the
   * endpoint going down (each may have lost an answer, and the browser resends: at least once);
   * hung: `held_committed` forwarded and committed but never answered, `held_dropped` never
   * forwarded, `resent_committed` forwarded again later with the Idempotency-Key of a held_committed
   * one (the server must answer it without storing it again). */
  answers: Record<string, number>;
  /** From now on every request is forwarded at once. */
  recover(): Promise<void>;
  close(): Promise<void>;
}

/** Sends one request on to `target` as it came; the server's answer. */
async function relay(target: string, req: IncomingMessage): Promise<Response> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers))
    if (k !== 'host' && k !== 'connection' && k !== 'content-length' && typeof v === 'string')
      headers.set(k, v);
  const method = req.method ?? 'GET';
  return fetch(target + (req.url ?? '/'), {
    method,
    headers,
    body: method === 'GET' || method === 'OPTIONS' ? undefined : Buffer.concat(chunks),
  });
}

/** Forwards one request; false when its answer could not be handed back. */
async function forward(target: string, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  const answer = await relay(target, req);
  const body = Buffer.from(await answer.arrayBuffer());
  // The server answered (and committed) but the browser's connection is gone (the flapping endpoint
  // went down meanwhile): the browser sees a network error and resends what is already stored.
  if (res.socket === null || res.socket.destroyed) return false;
  const out: Record<string, string> = {};
  answer.headers.forEach((v, k) => {
    if (k !== 'content-encoding' && k !== 'content-length' && k !== 'transfer-encoding') out[k] = v;
  });
  res.writeHead(answer.status, out).end(body);
  return true;
}

/** Starts the endpoint in front of `target` (the otel-rum server's URL), misbehaving as `mode` says. */
export async function startBadEndpoint(target: string, mode: BadMode): Promise<BadEndpoint> {
  let recovered = false;
  let refusals = 0;
  let held = 0;
  /** Idempotency keys of the requests the hung endpoint forwarded and never answered. */
  const heldKeys = new Set<string>();
  const answers: Record<string, number> = {};
  const count = (k: string) => (answers[k] = (answers[k] ?? 0) + 1);
  const sockets = new Set<Socket>();
  /** Connections that carried a POST: cutting one may lose an answer the server gave (and committed). */
  const carried = new WeakSet<Socket>();

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    if (req.method === 'POST') carried.add(req.socket);
    const key = req.headers['idempotency-key'];
    if (recovered && typeof key === 'string' && heldKeys.has(key)) count('resent_committed');
    if (mode === 'hung' && !recovered && req.method === 'POST') {
      // Never answered; every other one reaches the server (committed, the answer thrown away).
      if (held++ % 2 === 1) return void req.resume().on('end', () => count('held_dropped'));
      if (typeof key === 'string') heldKeys.add(key);
      return void relay(target, req)
        .then(async (a) => {
          await a.arrayBuffer();
          count(a.status === 200 ? 'held_committed' : `held_${a.status}`);
        })
        .catch(() => count('forward_failed'));
    }
    const pass = () =>
      forward(target, req, res).then(
        (answered) =>
          count(
            !answered ? 'cut_after_answer' : req.method === 'OPTIONS' ? 'preflight' : String(res.statusCode),
          ),
        (e: unknown) => {
          count('forward_failed');
          res.destroy(e as Error);
        },
      );
    // Preflights always pass: the browser must be allowed to send, and to read the refusal.
    if (recovered || req.method === 'OPTIONS' || (mode !== 'slow' && mode !== 'refusing')) return void pass();
    if (mode === 'slow') return void setTimeout(pass, SLOW_ANSWER_MS);
    // refusing
    req.resume();
    const status = refusals++ % 2 === 0 ? 429 : 503;
    count(String(status));
    res
      .writeHead(status, {
        'Access-Control-Allow-Origin': String(req.headers.origin ?? '*'),
        'Access-Control-Expose-Headers': 'Retry-After',
        'Retry-After': status === 429 ? '1' : '2',
        'Content-Type': 'application/json',
      })
      .end(JSON.stringify({ error: `refusing endpoint: ${status}` }));
  };

  let server: Server | undefined;
  let port = 0;
  const open = async () => {
    if (server) return;
    const s = createServer(handle);
    s.on('connection', (c) => {
      sockets.add(c);
      c.on('close', () => sockets.delete(c));
    });
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => resolve());
    });
    port = (s.address() as AddressInfo).port;
    server = s;
  };
  /** Closes the port and every connection: the next connection is refused. */
  const shut = async () => {
    const s = server;
    if (!s) return;
    server = undefined;
    for (const c of sockets) {
      if (carried.has(c)) count('cut_connections');
      c.destroy();
    }
    await new Promise<void>((resolve) => s.close(() => resolve()));
  };

  await open(); // takes a free port, kept for the whole run
  let flap: ReturnType<typeof setInterval> | undefined;
  if (mode === 'dead') await shut();
  if (mode === 'flapping') {
    let up = true;
    flap = setInterval(() => {
      up = !up;
      void (up ? open() : shut());
    }, FLAP_MS);
    await shut();
    up = false;
  }
  return {
    url: `http://127.0.0.1:${port}`,
    answers,
    async recover() {
      recovered = true;
      if (flap) clearInterval(flap);
      await open();
    },
    async close() {
      if (flap) clearInterval(flap);
      await shut();
    },
  };
}
