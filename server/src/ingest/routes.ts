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
import type { AppRegistry } from '../apps/registry';
import type { IngestRateLimits } from '../ratelimit/ingest-limits';

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
  '/v1/traces': 'traces',
  '/v1/logs': 'logs',
  '/v1/metrics': 'metrics',
};

function clientOf(req: IncomingMessage, proxies: BlockList): ClientInfo {
  const client = requestClient(req, proxies);
  return {
    address: client.address,
    trusted: client.viaTrustedProxy,
    userAgent: req.headers['user-agent'] ?? null,
  };
}

/** OTLP/HTTP receiver: POST /v1/traces, /v1/logs, /v1/metrics; JSON or protobuf; gzip or deflate. */
export function addIngestRoutes(
  router: Router,
  queue: WriteQueue,
  limits: BodyLimits,
  log: Logger,
  admission: IngestAdmission,
): void {
  for (const [path, signal] of Object.entries(PATHS)) {
    router.add('POST', path, async ({ req, res }) => {
      const encoding = encodingOf(req.headers['content-type']);
      const body = await readBody(req, limits);
      const decoded = decodeRequest(signal, encoding, body);
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
      await queue.submit(batch);
      const rejected = admitted.rejected + rejections.count;
      const errorMessage = [admitted.message, rejections.message].filter(Boolean).join('; ');
      if (rejected > 0) log.debug('otlp partial success', { signal, rejected, reason: errorMessage });
      const out = encodeResponse(signal, encoding, { rejected, errorMessage });
      res.writeHead(200, {
        'Content-Type': encoding === 'json' ? 'application/json' : 'application/x-protobuf',
      });
      res.end(out);
    });
  }
}
