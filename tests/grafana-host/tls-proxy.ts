/*
 * A TLS-terminating reverse proxy with a self-signed certificate made for the test (as a site puts
 * nginx in front of a service), optionally slow: the proof that the data proxy's TLS settings and
 * cancellations work against a real TLS handshake and a real slow link.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { request, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface FrontProxy {
  url: string;
  /** PEM of the self-signed certificate (its own CA), for tlsCACert. */
  certificate?: string;
  close(): Promise<void>;
}

function forward(target: string, delayMs: number) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const go = () => {
      const up = request(
        new URL(req.url ?? '/', target),
        { method: req.method, headers: req.headers },
        (r) => {
          res.writeHead(r.statusCode ?? 502, r.headers);
          r.pipe(res);
        },
      );
      up.on('error', () => res.destroy());
      req.pipe(up);
    };
    if (delayMs) {
      const t = setTimeout(go, delayMs);
      res.on('close', () => clearTimeout(t));
    } else go();
  };
}

export async function startFrontProxy(
  target: string,
  opts: { tls?: boolean; delayMs?: number } = {},
): Promise<FrontProxy> {
  let server: Server;
  let certificate: string | undefined;
  if (opts.tls) {
    const dir = mkdtempSync(join(tmpdir(), 'rum-tls-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    certificate = readFileSync(join(dir, 'cert.pem'), 'utf8');
    server = createHttpsServer(
      { key: readFileSync(join(dir, 'key.pem')), cert: certificate },
      forward(target, opts.delayMs ?? 0),
    );
  } else {
    server = createHttpServer(forward(target, opts.delayMs ?? 0));
  }
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${opts.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    certificate,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
