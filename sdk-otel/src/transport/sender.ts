import { BROWSER_KEEPALIVE_BYTES, MAX_SDK_QUEUE_BYTES, SDK_REQUEST_TIMEOUT_MS } from '@otel-rum/model';
import { newId128 } from '../ids';
import { byteSize, type Encoded } from './batch';
import { isRetryable, parseRetryAfter, retryDelay } from './retryPolicy';

/** Bodies shorter than this are sent as is: gzip would not pay for its header and the async hop. */
export const COMPRESSION_MIN_BYTES = 1024;

/** A persistent copy of the retry queue (IndexedDB), so refused or offline data survives a reload. */
export interface QueueStore {
  /** Keeps `body` under `key`, its Idempotency-Key. */
  put(key: string, body: Encoded): void;
  remove(key: string): void;
  /** Resolves with (and removes) what earlier pages left: each key ('' if none was kept) with its body. */
  takeAll(): Promise<[string, Encoded][]>;
}

/** Synchronous storage for what page hide could not send within the keepalive budget (localStorage). */
export interface SpillStore {
  save(bodies: Encoded[]): void;
  take(): Encoded[];
}

export interface SenderOptions {
  url: string;
  /** application/json or application/x-protobuf. */
  contentType: string;
  headers: Record<string, string>;
  compression: boolean;
  /** The page's fetch as it was before the SDK instrumented it, so our own requests are not traced. */
  fetch: typeof fetch;
  /** Called when data is given up (queue full, or refused for good); it warns. */
  onDrop(reason: string, bytes: number): void;
  store?: QueueStore;
  spill?: SpillStore;
  now?(): number;
}

export interface Sender {
  /** Sends one OTLP request body; `final` at page hide. */
  send(body: Encoded, final: boolean): void;
  /** Page hide: sends (or sets aside) everything pending now. */
  hide(): void;
  /** Sends what an earlier page set aside (spill), e.g. when the page is shown again. */
  resume(): void;
  /** The browser is back online: retries now rather than after the backoff. */
  online(): void;
  stop(): void;
}

interface Entry {
  body: Encoded;
  bytes: number;
  failures: number;
  /** The request's Idempotency-Key (128 random bits): one per body, the same on every retry and on its copy at page hide. */
  id: string;
  /** Storage key in the offline queue, while it is there. */
  key?: string;
  /** Set when page hide sent a keepalive copy while this request was in flight: its answer is ignored. */
  copied?: boolean;
}

/** A new entry; `id` when the body has one already (offline queue), else a new one. */
const entry = (body: Encoded, id?: string): Entry => ({
  body,
  bytes: byteSize(body),
  failures: 0,
  id: id || newId128(),
});

/** gzip through CompressionStream. Fed bytes directly: a Blob would cost a copy into the blob registry. */
const gzip = (body: Encoded): Promise<ArrayBuffer> => {
  const cs = new CompressionStream('gzip');
  const writer = cs.writable.getWriter();
  void writer.write(typeof body === 'string' ? new TextEncoder().encode(body) : body);
  void writer.close();
  return new Response(cs.readable).arrayBuffer();
};

/**
 * Posts OTLP/HTTP requests, each with an Idempotency-Key that stays the same across its retries (the
 * server answers a repeat of a committed request without storing it again) and aborted when no
 * answer came within SDK_REQUEST_TIMEOUT_MS (then retried like a failed one). Ordinary sends are
 * concurrent, gzip-compressed, plain fetches (not keepalive: an endpoint that never answers must not
 * hold the browser's keepalive budget, and an aborted keepalive request may still be sent), together
 * at most BROWSER_KEEPALIVE_BYTES in flight; once one is refused (429, 5xx, network error, timeout)
 * every later body waits in a bounded FIFO queue (MAX_SDK_QUEUE_BYTES), drained one request at a time
 * after an exponential backoff that honours Retry-After. At page hide everything pending, and a copy
 * of every ordinary request still in flight (the page going away cancels it), goes out uncompressed
 * as keepalive requests within the browser's budget (BROWSER_KEEPALIVE_BYTES); what does not fit, or
 * what a refusing server would not take now, is set aside synchronously (spill) and sent by the next
 * page.
 */
export function createSender(o: SenderOptions): Sender {
  const now = o.now ?? Date.now;
  const queue: Entry[] = [];
  // Ordinary requests in flight (compressing or waiting for their answer).
  const sending = new Set<Entry>();
  let queuedBytes = 0;
  // Raw bytes of requests started and not finished (one copied at page hide no longer counts):
  // keepalive requests hold the browser's budget; ordinary ones are kept within the same bound, so
  // that their copies fit it at page hide. Compressed bodies are smaller: less is really in flight.
  let inflight = 0;
  const fits = (bytes: number) => inflight + bytes <= BROWSER_KEEPALIVE_BYTES;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let draining = false;
  let stopped = false;
  // Set by page hide (visibilityState is not reliable while a navigation unloads the page).
  let hidden = false;

  const persist = (e: Entry) => {
    if (o.store && !e.key) o.store.put((e.key = e.id), e.body);
  };
  const unpersist = (e: Entry) => {
    if (o.store && e.key) o.store.remove(e.key);
    e.key = undefined;
  };

  const enqueue = (e: Entry, front = false) => {
    if (front) queue.unshift(e);
    else queue.push(e);
    queuedBytes += e.bytes;
    persist(e);
    // The oldest go first, as documented: a failed retry put back at the front is the oldest itself
    // (dropping the newest instead left a gap in the middle of what was kept).
    while (queuedBytes > MAX_SDK_QUEUE_BYTES && queue.length > 1) {
      const dropped = queue.shift()!;
      queuedBytes -= dropped.bytes;
      unpersist(dropped);
      o.onDrop('retry queue full (MAX_SDK_QUEUE_BYTES)', dropped.bytes);
    }
  };
  const dequeueAll = () => {
    queuedBytes = 0;
    return queue.splice(0);
  };

  /**
   * Resolves with the HTTP status (0 for a network error or a timeout) and the Retry-After wait. Only
   * `final` requests (page hide) are keepalive, so that one in flight when the page goes away is still
   * delivered; a single body larger than the whole budget is not. A request copied while it was
   * being compressed still goes (its copy went first; the server keeps one of the two).
   */
  const post = async (e: Entry, final: boolean): Promise<[number, number | undefined]> => {
    inflight += e.bytes;
    if (!final) sending.add(e);
    try {
      const headers: Record<string, string> = {
        'Content-Type': o.contentType,
        ...o.headers,
        'Idempotency-Key': e.id,
      };
      let body: BodyInit = e.body;
      if (
        !final &&
        o.compression &&
        e.bytes >= COMPRESSION_MIN_BYTES &&
        typeof CompressionStream !== 'undefined'
      ) {
        body = await gzip(e.body);
        headers['Content-Encoding'] = 'gzip';
      }
      const res = await o.fetch(o.url, {
        method: 'POST',
        body,
        headers,
        // (Page hide sends only what fits the keepalive budget.)
        keepalive: final,
        // Where the browser has no AbortSignal.timeout the request waits for its answer as before.
        signal: AbortSignal.timeout?.(SDK_REQUEST_TIMEOUT_MS),
      });
      return [res.status, parseRetryAfter(res.headers.get('Retry-After'), now())];
    } catch {
      // Network error, or no answer in time: retried with the same Idempotency-Key, so a request that
      // did reach the server is not stored twice.
      return [0, undefined];
    } finally {
      sending.delete(e);
      if (!e.copied) inflight -= e.bytes;
      // Budget freed: bodies waiting for it may go.
      if (queue.length && !timer && !draining && !hidden) void drain();
    }
  };

  /** Handles a response; returns false when the entry went back to the queue. */
  const settle = (e: Entry, status: number, retryAfter: number | undefined): boolean => {
    // Sent again at page hide: its copy settles it.
    if (e.copied) return true;
    if (status >= 200 && status < 300) {
      unpersist(e);
      return true;
    }
    if (!isRetryable(status) || stopped) {
      // One warning (onDrop's) names the answer and the endpoint.
      if (!stopped) o.onDrop(`HTTP ${status} from ${o.url}`, e.bytes);
      unpersist(e);
      return true;
    }
    e.failures++;
    enqueue(e, true);
    schedule(retryDelay(e.failures, retryAfter));
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
      // Wait for keepalive budget (the request finishing frees it and calls drain again).
      if (inflight > 0 && !fits(queue[0]!.bytes)) break;
      const e = queue.shift()!;
      queuedBytes -= e.bytes;
      const [status, retryAfter] = await post(e, false);
      if (!settle(e, status, retryAfter)) break;
    }
    draining = false;
  };

  const finalFlush = (fresh?: Entry) => {
    hidden = true;
    const all: Entry[] = [];
    // Ordinary requests in flight are cancelled if the page goes away: each goes again as keepalive,
    // with the same Idempotency-Key (if the first did arrive, the server does not store it twice).
    sending.forEach((e) => {
      all.push({ ...e });
      e.copied = true;
      inflight -= e.bytes;
    });
    sending.clear();
    all.push(...dequeueAll());
    if (fresh) all.push(fresh);
    const aside: Entry[] = [];
    for (const e of all) {
      // Entries in the offline queue (IndexedDB) wait there for the next page: their removal might not
      // complete while the page unloads, and sending them now could deliver them twice.
      if (!timer && !e.key && fits(e.bytes))
        void post(e, true).then(([status, retryAfter]) => settle(e, status, retryAfter));
      else aside.push(e);
    }
    // What is already in the offline queue (IndexedDB) stays there; the rest goes to the spill.
    const spill = aside.filter((e) => !e.key);
    if (spill.length) {
      if (o.spill) o.spill.save(spill.map((e) => e.body));
      else spill.forEach((e) => enqueue(e));
    }
    aside.filter((e) => e.key).forEach((e) => enqueue(e));
  };

  const resume = () => {
    hidden = false;
    if (stopped || !o.spill) return;
    const bodies = o.spill.take();
    for (const body of bodies) enqueue(entry(body));
    if (bodies.length && !timer) void drain();
  };

  o.store?.takeAll().then(
    (left) => {
      for (const [id, body] of left) enqueue(entry(body, id));
      if (left.length && !timer) void drain();
    },
    () => undefined,
  );
  resume();

  return {
    send(body, final) {
      if (stopped) return;
      const e = entry(body);
      if (final) finalFlush(e);
      else if (queue.length || draining || timer) enqueue(e);
      else if (inflight > 0 && !fits(e.bytes)) {
        // No keepalive budget left: wait in the queue until a request in flight finishes.
        enqueue(e);
      } else void post(e, false).then(([status, retryAfter]) => settle(e, status, retryAfter));
    },
    hide: () => finalFlush(),
    resume,
    online() {
      if (timer) clearTimeout(timer);
      timer = undefined;
      void drain();
    },
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      dequeueAll();
    },
  };
}
