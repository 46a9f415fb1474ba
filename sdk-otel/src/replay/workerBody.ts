/*
 * Segment bodies compressed in a worker, off the page's main thread. The worker hands back complete
 * gzip members of about REPLAY_WORKER_MEMBER_BYTES of input each; the page keeps the texts not yet
 * handed back. A segment that closes normally is finished by the worker; one that must be sent at
 * once (page hide, or the worker is gone) is finished by the page: the members, then the texts not
 * yet compressed as one more member. Either way one gzip stream, and nothing is awaited at page hide.
 */
import { concat, encoder, type SegmentBody } from './gzipBody';
import { finishGzip } from './gzipSplice';
import type { FromWorker, ToWorker } from './workerProtocol';

/** The compression worker's script (compressWorker.ts bundled), defined by the build (bundle-options.js). */
declare const __REPLAY_WORKER_SOURCE__: string;

interface Body {
  /** Complete gzip members the worker handed back. */
  chunks: Uint8Array[];
  /** Texts the worker has not handed back, from the `acked`-th on. */
  texts: string[];
  acked: number;
  done?: (gzip: Uint8Array) => void;
  settled?: boolean;
}

/**
 * A factory of worker-compressed segment bodies, or undefined when no worker can be started (no
 * Worker, or a Content-Security-Policy without `worker-src blob:`): then the page compresses.
 */
export function createWorkerBodies(): WorkerBodies | undefined {
  let worker: Worker;
  let url: string;
  try {
    url = URL.createObjectURL(new Blob([__REPLAY_WORKER_SOURCE__], { type: 'text/javascript' }));
    worker = new Worker(url);
  } catch {
    return undefined;
  }
  const bodies = new Map<number, Body>();
  let nextId = 0;
  let broken = false;
  const send = (m: ToWorker) => !broken && worker.postMessage(m);

  /** Finishes a body on the page, synchronously. */
  const hurry = (id: number, b: Body) => {
    if (b.settled || !b.done) return;
    b.settled = true;
    bodies.delete(id);
    send({ id, drop: true });
    b.done(finishGzip(b.chunks, encoder.encode(b.texts.join(''))));
  };

  worker.onmessage = (e: MessageEvent<FromWorker>) => {
    const m = e.data;
    const b = bodies.get(m.id);
    if (!b || b.settled) return;
    b.chunks.push(m.bytes);
    b.texts.splice(0, m.upTo - b.acked);
    b.acked = m.upTo;
    if (m.final && b.done) {
      b.settled = true;
      bodies.delete(m.id);
      b.done(concat(b.chunks));
    }
  };
  worker.onerror = () => {
    broken = true;
    worker.terminate();
    bodies.forEach((b, id) => hurry(id, b));
  };

  const create = (): SegmentBody => {
    const id = nextId++;
    const b: Body = { chunks: [], texts: [], acked: 0 };
    bodies.set(id, b);
    let first = true;
    const add = (text: string, end?: boolean) => {
      b.texts.push(text);
      send({ id, text, end });
    };
    return {
      add(json) {
        add((first ? '[' : ',') + json);
        first = false;
      },
      finish(done) {
        b.done = done;
        add(first ? '[]' : ']', true);
        if (broken) hurry(id, b);
      },
      hurry: () => hurry(id, b),
    };
  };
  return {
    create,
    close() {
      bodies.forEach((b, id) => hurry(id, b));
      broken = true;
      worker.terminate();
      URL.revokeObjectURL(url);
    },
  };
}

export interface WorkerBodies {
  /** A new segment body, compressed in the worker. */
  create(): SegmentBody;
  /** Finishes at once what is being finished, and ends the worker. */
  close(): void;
}
