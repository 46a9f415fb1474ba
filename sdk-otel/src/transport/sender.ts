import { BROWSER_KEEPALIVE_BYTES, MAX_SDK_QUEUE_BYTES } from '@otel-rum/model';
import { utf8Length } from './batch';
import { isRetryable, parseRetryAfter, retryDelay } from './retryPolicy';

/** Bodies shorter than this are sent as is: gzip would not pay for its header and the async hop. */
export const COMPRESSION_MIN_BYTES = 1024;

export interface SenderOptions {
  url: string;
  headers: Record<string, string>;
  compression: boolean;
  /** The page's fetch as it was before the SDK instrumented it, so our own requests are not traced. */
  fetch: typeof fetch;
  /** Called when data is given up (queue full, or refused for good). */
  onDrop?(reason: string, bytes: number): void;
  /** Optional persistent mirror of the retry queue (IndexedDB). */
  store?: QueueStore;
}

/** A persistent copy of the retry queue, so refused or offline data survives a reload. */
export interface QueueStore {
  put(body: string): Promise<number>;
  remove(key: number): Promise<void>;
  /** Resolves with what an earlier page left. */
  takeAll(): Promise<{ key: number; body: string }[]>;
}

export interface Sender {
  send(body: string, final: boolean): void;
  /** Entries waiting for a retry. */
  queued(): number;
  stop(): void;
}

interface Entry {
  body: string;
  bytes: number;
  failures: number;
  key?: number;
}

const gzip = async (body: string): Promise<ArrayBuffer> =>
  new Response(new Blob([body]).stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer();

/**
 * Posts OTLP/HTTP requests. Ordinary sends are concurrent; once one is refused (429, 5xx, network
 * error) every later body waits in a bounded FIFO queue (MAX_SDK_QUEUE_BYTES) that is drained one
 * request at a time after an exponential backoff honouring Retry-After. Sends at page hide stay
 * uncompressed and within the browser's keepalive budget so they survive the page.
 */
export function createSender(o: SenderOptions): Sender {
  const queue: Entry[] = [];
  let queuedBytes = 0;
  let keepaliveBytes = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let draining = false;
  let stopped = false;

  const enqueue = (entry: Entry, front = false) => {
    if (front) queue.unshift(entry);
    else queue.push(entry);
    queuedBytes += entry.bytes;
    if (o.store && entry.key === undefined)
      o.store.put(entry.body).then(
        (key) => (entry.key = key),
        () => undefined,
      );
    while (queuedBytes > MAX_SDK_QUEUE_BYTES && queue.length > 1) {
      const dropped = queue.splice(front ? queue.length - 1 : 0, 1)[0]!;
      forget(dropped);
      o.onDrop?.('queue full', dropped.bytes);
    }
  };

  const unstore = (entry: Entry) => {
    if (o.store && entry.key !== undefined) o.store.remove(entry.key).catch(() => undefined);
  };
  const forget = (entry: Entry) => {
    queuedBytes -= entry.bytes;
    unstore(entry);
  };

  /** Resolves with the HTTP status (0 for a network error) and the Retry-After wait. */
  const post = async (entry: Entry, final: boolean): Promise<[number, number | undefined]> => {
    const headers: Record<string, string> = { 'Content-Type': 'application/json', ...o.headers };
    let body: BodyInit = entry.body;
    let size = entry.bytes;
    if (
      !final &&
      o.compression &&
      size >= COMPRESSION_MIN_BYTES &&
      typeof CompressionStream !== 'undefined'
    ) {
      body = await gzip(entry.body);
      size = body.byteLength;
      headers['Content-Encoding'] = 'gzip';
    }
    const keepalive = keepaliveBytes + size <= BROWSER_KEEPALIVE_BYTES;
    if (keepalive) keepaliveBytes += size;
    try {
      const res = await o.fetch(o.url, { method: 'POST', body, headers, keepalive });
      return [res.status, parseRetryAfter(res.headers.get('Retry-After'), Date.now())];
    } catch {
      return [0, undefined];
    } finally {
      if (keepalive) keepaliveBytes -= size;
    }
  };

  const settle = (entry: Entry, status: number, retryAfter: number | undefined): boolean => {
    if (status >= 200 && status < 300) {
      unstore(entry);
      return true;
    }
    if (!isRetryable(status) || stopped) {
      if (!stopped) console.warn(`OtelRum: ${o.url} refused a request with HTTP ${status}; it is dropped`);
      o.onDrop?.(`HTTP ${status}`, entry.bytes);
      unstore(entry);
      return true;
    }
    entry.failures++;
    enqueue(entry, true);
    schedule(retryDelay(entry.failures, retryAfter));
    return false;
  };

  const schedule = (delay: number) => {
    if (timer || stopped) return;
    timer = setTimeout(() => {
      timer = undefined;
      void drain();
    }, delay);
  };

  const drain = async () => {
    if (draining) return;
    draining = true;
    while (queue.length && !stopped) {
      const entry = queue.shift()!;
      queuedBytes -= entry.bytes;
      const [status, retryAfter] = await post(entry, false);
      if (!settle(entry, status, retryAfter)) break;
    }
    draining = false;
  };

  const onOnline = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    void drain();
  };
  if (typeof addEventListener === 'function') addEventListener('online', onOnline);

  if (o.store)
    o.store.takeAll().then(
      (left) => {
        for (const { key, body } of left) enqueue({ body, bytes: utf8Length(body), failures: 0, key });
        if (queue.length) schedule(0);
      },
      () => undefined,
    );

  return {
    send(body, final) {
      if (stopped) return;
      const entry: Entry = { body, bytes: utf8Length(body), failures: 0 };
      if (queue.length || draining || timer) {
        enqueue(entry);
        // At page hide a queue that is only waiting for its backoff gets one concurrent keepalive attempt:
        // a sequential drain would not outlive the page.
        if (final && !draining) {
          if (timer) clearTimeout(timer);
          timer = undefined;
          for (const e of queue.splice(0)) {
            queuedBytes -= e.bytes;
            void post(e, true).then(([status, retryAfter]) => settle(e, status, retryAfter));
          }
        }
        return;
      }
      void post(entry, final).then(([status, retryAfter]) => settle(entry, status, retryAfter));
    },
    queued: () => queue.length,
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      queue.length = 0;
      queuedBytes = 0;
      if (typeof removeEventListener === 'function') removeEventListener('online', onOnline);
    },
  };
}
