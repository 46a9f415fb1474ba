import type { IncomingMessage } from 'node:http';
import type { BlockList } from 'node:net';
import { requestClient } from '../http/client-address';
import { readBody, type BodyLimits } from '../http/body';
import type { Router } from '../http/router';
import type { Logger } from '../log';
import { decodeRequest, encodeResponse, encodingOf, type Signal } from './otlp/decode';
import { normalise } from './ingest';
import type { WriteQueue } from './write-queue';
import type { ClientInfo } from './normalize/context';
import { admit } from '../apps/admission';
import { FARO_COLLECT_PATH, MAX_EVENTS_PER_REQUEST, OTLP_PATHS } from '@otel-rum/model';
import { HttpError } from '../http/http-error';
import { faroToOtlp, withAppId } from './faro/native';
import type { AppRegistry } from '../apps/registry';
import type { IngestRateLimits } from '../ratelimit/ingest-limits';
import type { IdempotencyKeyRow } from '../store/rows';
import { idempotencyKeyOf, type IdempotencyKeys, type IngestOutcome } from './idempotency';

/** What ingest checks before it maps anything: registered applications, their origins, their rate limits. */
export interface IngestAdmission {
  apps: AppRegistry;
  rateLimits: IngestRateLimits;
  /** Origins allowed for every application (config corsOrigins). */
  globalOrigins: readonly string[];
  /** Senders whose word on the client's address is taken (config trustedProxies). */
  trustedProxies: BlockList;
}

const PATHS: Record<string, Signal> = {
  [OTLP_PATHS.traces]: 'traces',
  [OTLP_PATHS.logs]: 'logs',
  [OTLP_PATHS.metrics]: 'metrics',
};

const TOP: Record<Signal, string> = {
  traces: 'resourceSpans',
  logs: 'resourceLogs',
  metrics: 'resourceMetrics',
};

function clientOf(req: IncomingMessage, proxies: BlockList): ClientInfo {
  const client = requestClient(req, proxies);
  return {
    address: client.address,
    trusted: client.viaTrustedProxy,
    userAgent: req.headers['user-agent'] ?? null,
  };
}

/**
 * OTLP/HTTP receiver: POST /v1/traces, /v1/logs, /v1/metrics; JSON or protobuf; gzip or deflate. And
 * Grafana Faro's receiver: POST /collect/<application id> (Faro's own JSON; /collect alone takes Faro's
 * app name as the application id) and /collect/<application id>/v1/logs|traces (Faro's OTLP transport).
 */
export function addIngestRoutes(
  router: Router,
  queue: WriteQueue,
  limits: BodyLimits,
  log: Logger,
  admission: IngestAdmission,
  idempotency: IdempotencyKeys,
): void {
  /**
   * Admits, maps and queues one decoded OTLP request; the rejected count and why. `key` makes the
   * row of the request's Idempotency-Key, committed with its rows.
   */
  async function ingest(
    req: IncomingMessage,
    signal: Signal,
    decoded: unknown,
    key: (o: IngestOutcome) => IdempotencyKeyRow | null,
  ): Promise<IngestOutcome> {
    const admitted = admit(
      signal,
      decoded,
      admission.apps,
      { origin: req.headers.origin, host: req.headers.host },
      admission.globalOrigins,
    );
    admission.rateLimits.admit(admitted.perApp, admitted.unattributed);
    const nowUs = BigInt(Date.now()) * 1000n;
    const { batch, rejections } = normalise(
      signal,
      admitted.request,
      clientOf(req, admission.trustedProxies),
      nowUs,
    );
    const rejected = admitted.rejected + rejections.count;
    const errorMessage = [admitted.message, rejections.message].filter(Boolean).join('; ');
    const keyRow = key({ rejected, errorMessage });
    if (keyRow) batch.idempotencyKeys = [keyRow];
    await queue.submit(batch);
    if (rejected > 0) log.debug('otlp partial success', { signal, rejected, reason: errorMessage });
    return { rejected, errorMessage };
  }

  /** OTLP/HTTP at `path`; `appKey` names the application of resources that name none (Faro's OTLP transport). */
  const otlpRoute = (path: string, signal: Signal, appKey: boolean) =>
    router.add('POST', path, async ({ req, res, params }) => {
      const encoding = encodingOf(req.headers['content-type']);
      const body = await readBody(req, limits);
      const outcome = await idempotency.run(idempotencyKeyOf(req), (key) => {
        const decoded = decodeRequest(signal, encoding, body) as Record<string, unknown>;
        const resources = decoded[TOP[signal]];
        if (Array.isArray(resources)) withAppId(resources, appKey ? params.appId! : null);
        return ingest(req, signal, decoded, key);
      });
      if (outcome.repeat) log.debug('otlp repeat of a committed request', { path });
      const out = encodeResponse(signal, encoding, outcome);
      res.writeHead(200, {
        'Content-Type': encoding === 'json' ? 'application/json' : 'application/x-protobuf',
      });
      res.end(out);
    });
  for (const [path, signal] of Object.entries(PATHS)) {
    otlpRoute(path, signal, false);
    // Faro's OTLP transport, pointed at the collect URL of an application.
    otlpRoute(`${FARO_COLLECT_PATH}/:appId${path}`, signal, true);
  }

  // Faro's own transport: its JSON payload, for the application in the path or named by Faro's app name.
  const faroRoute = (path: string) =>
    router.add('POST', path, async ({ req, res, params }) => {
      const body = await readBody(req, limits);
      const { rejected, errorMessage } = await idempotency.run(idempotencyKeyOf(req), async (key) => {
        let parsed: unknown;
        try {
          parsed = JSON.parse(body.toString('utf8'));
        } catch (e) {
          throw new HttpError(400, `malformed Faro payload: ${(e as Error).message}`);
        }
        const faro = faroToOtlp(parsed, params.appId ?? null);
        if (faro.count > MAX_EVENTS_PER_REQUEST)
          throw new HttpError(
            413,
            `request holds ${faro.count} records, over the limit of ${MAX_EVENTS_PER_REQUEST} per request`,
          );
        // The key goes with each of the two batches (a store keeps a row for each; they add up).
        const results = [
          await ingest(req, 'logs', faro.logs, key),
          await ingest(req, 'traces', faro.traces, key),
        ];
        return {
          rejected: results.reduce((n, r) => n + r.rejected, 0),
          errorMessage: results
            .map((r) => r.errorMessage)
            .filter(Boolean)
            .join('; '),
        };
      });
      // Alloy's faro.receiver answers 202; the body says what was refused, as OTLP partial success does.
      res.writeHead(202, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ rejected, errorMessage }));
    });
  faroRoute(FARO_COLLECT_PATH);
  faroRoute(`${FARO_COLLECT_PATH}/:appId`);
}
