import * as http from 'node:http';
import * as zlib from 'node:zlib';

/** One request as the "server" side of the collector received it. */
export interface SinkRequest {
  path: string;
  headers: http.IncomingHttpHeaders;
  /** The decoded JSON body (the collector is configured to send OTLP/JSON to the sink). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- OTLP JSON, inspected field by field
  body: any;
}

export interface OtlpSink {
  /** Base URL to give the collector as RUM_SERVER_ENDPOINT. */
  url: string;
  requests: SinkRequest[];
  close(): Promise<void>;
}

/**
 * A plain HTTP server standing in for the outside world behind the collector: it records every
 * OTLP/HTTP JSON request (gzip or not) and answers 200 with an empty OTLP response.
 */
export async function startOtlpSink(): Promise<OtlpSink> {
  const requests: SinkRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        let raw = Buffer.concat(chunks);
        if (req.headers['content-encoding'] === 'gzip') raw = zlib.gunzipSync(raw);
        if (!String(req.headers['content-type']).startsWith('application/json')) {
          throw new Error(`expected OTLP/JSON, got content-type ${req.headers['content-type']}`);
        }
        requests.push({ path: req.url ?? '', headers: req.headers, body: JSON.parse(raw.toString('utf8')) });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{}');
      } catch (e) {
        res.writeHead(400, { 'content-type': 'text/plain' });
        res.end(String(e));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('sink has no TCP address');
  return {
    url: `http://127.0.0.1:${address.port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
