import { BROWSER_KEEPALIVE_BYTES, MAX_SDK_QUEUE_BYTES } from '@otel-rum/model';
import { byteSize, type Encoded } from './batch';
import { isRetryable, parseRetryAfter, retryDelay } from './retryPolicy';

/** Bodies shorter than this are sent as is: gzip would not pay for its header and the async hop. */
export const COMPRESSION_MIN_BYTES = 1024;

/** A persistent copy of the retry queue (IndexedDB), so refused or offline data survives a reload. */
export interface QueueStore {
  put(key: string, body: Encoded): void;
  remove(key: string): void;
  /** Resolves with (and removes) what earlier pages left. */
  takeAll(): Promise<Encoded[]>;
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
  /** Called when data is given up (queue full, or refused for good). */
  onDrop?(reason: string, bytes: number): void;
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
  /** Requests waiting for a retry. */
  queued(): number;
  stop(): void;
}

interface Entry {
  body: Encoded;
  bytes: number;
  failures: number;
  key?: string;
  /** Set when page hide sent the raw body while it was being compressed. */
  abandoned?: boolean;
}

/** gzip through CompressionStream. Fed bytes directly: a Blob would cost a copy into the blob registry. */
const gzip = (body: Encoded): Promise<ArrayBuffer> => {
  const cs = new CompressionStream('gzip');
  const writer = cs.writable.getWriter();
  void writer.write(typeof body === 'string' ? new TextEncoder().encode(body) : body);
  void writer.close();
  return new Response(cs.readable).arrayBuffer();
};

let keySeq = 0;

/**
 * Posts OTLP/HTTP requests. Ordinary sends are concurrent and gzip-compressed; once one is refused
 * (429, 5xx, network error) every later body waits in a bounded FIFO queue (MAX_SDK_QUEUE_BYTES),
 * drained one request at a time after an exponential backoff that honours Retry-After. At page
 * hide everything pending goes out uncompressed as keepalive requests within the browser's budget
 * (BROWSER_KEEPALIVE_BYTES); what does not fit, or what a refusing server would not take now, is set
 * aside synchronously (spill) and sent by the next page.
 */
export function createSender(o: SenderOptions): Sender {
  const now = o.now ?? Date.now;
  const queue: Entry[] = [];
  const compressing = new Set<Entry>();
  let queuedBytes = 0;
  // Raw bytes of requests started and not finished: the share of the keepalive budget they hold.
  // Compressed bodies are smaller, so the sum of what is really in flight stays within the budget.
  let inflight = 0;
  const fits = (bytes: number) => inflight + bytes <= BROWSER_KEEPALIVE_BYTES;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let draining = false;
  let stopped = false;
  // Set by page hide (visibilityState is not reliable while a navigation unloads the page).
  let hidden = false;

  const persist = (e: Entry) => {
    if (o.store && !e.key) {
      e.key = `${now()}-${keySeq++}-${Math.random().toString(36).slice(2, 8)}`;
      o.store.put(e.key, e.body);
    }
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
      o.onDrop?.('retry queue full (MAX_SDK_QUEUE_BYTES)', dropped.bytes);
    }
  };
  const dequeueAll = () => {
    queuedBytes = 0;
    return queue.splice(0);
  };

  /**
   * Resolves with the HTTP status (0 for a network error, -1 when there is nothing more to do) and the
   * Retry-After wait. Every request is keepalive (its reservation keeps the sum within the budget),
   * so one in flight when the page goes away is still delivered; only a single body larger than the
   * whole budget is not.
   */
  const post = async (e: Entry, final: boolean): Promise<[number, number | undefined]> => {
    inflight += e.bytes;
    const keepalive = e.bytes <= BROWSER_KEEPALIVE_BYTES;
    try {
      const headers: Record<string, string> = { 'Content-Type': o.contentType, ...o.headers };
      let body: BodyInit = e.body;
      if (
        !final &&
        o.compression &&
        e.bytes >= COMPRESSION_MIN_BYTES &&
        typeof CompressionStream !== 'undefined'
      ) {
        compressing.add(e);
        try {
          body = await gzip(e.body);
        } finally {
          compressing.delete(e);
        }
        if (e.abandoned) return [-1, undefined];
        headers['Content-Encoding'] = 'gzip';
      }
      const res = await o.fetch(o.url, { method: 'POST', body, headers, keepalive });
      return [res.status, parseRetryAfter(res.headers.get('Retry-After'), now())];
    } catch {
      // A keepalive request outlives the page: when its promise fails because the page is going
      // away (and not because the browser is offline), the browser still delivers it, and sending it
      // again would duplicate it.
      return [keepalive && hidden && navigator.onLine !== false ? -1 : 0, undefined];
    } finally {
      inflight -= e.bytes;
      // Budget freed: bodies waiting for it may go.
      if (queue.length && !timer && !draining && !hidden) void drain();
    }
  };

  /** Handles a response; returns false when the entry went back to the queue. */
  const settle = (e: Entry, status: number, retryAfter: number | undefined): boolean => {
    if (status === -1) return true; // sent raw at page hide instead, or handed to the browser at unload
    if (status >= 200 && status < 300) {
      unpersist(e);
      return true;
    }
    if (!isRetryable(status) || stopped) {
      if (!stopped) {
        console.warn(`OtelRum: ${o.url} refused a request with HTTP ${status}; it is dropped`);
        o.onDrop?.(`HTTP ${status}`, e.bytes);
      }
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
    compressing.forEach((e) => {
      e.abandoned = true;
      all.push({ ...e, abandoned: false });
    });
    compressing.clear();
    all.push(...dequeueAll());
    if (fresh) all.push(fresh);
    const backingOff = timer !== undefined;
    const aside: Entry[] = [];
    for (const e of all) {
      // Entries in the offline queue (IndexedDB) wait there for the next page: their removal might not
      // complete while the page unloads, and sending them now could deliver them twice.
      if (!backingOff && !e.key && fits(e.bytes))
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
    for (const body of bodies) enqueue({ body, bytes: byteSize(body), failures: 0 });
    if (bodies.length && !timer) void drain();
  };

  o.store?.takeAll().then(
    (left) => {
      for (const body of left) enqueue({ body, bytes: byteSize(body), failures: 0 });
      if (left.length && !timer) void drain();
    },
    () => undefined,
  );
  resume();

  return {
    send(body, final) {
      if (stopped) return;
      const e: Entry = { body, bytes: byteSize(body), failures: 0 };
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
    queued: () => queue.length,
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      dequeueAll();
    },
  };
}
