/*
 * Entry of the CDN bundle: defines the one global `OtelRum`. If the async loader snippet ran first,
 * the global is its call queue; the calls it holds are replayed in order, then the queue is replaced.
 */
import { OtelRum } from './index';

type CallQueue = { q?: [string, ArrayLike<unknown>][]; r?: (() => void)[] };

const w = window as unknown as { OtelRum?: CallQueue & Record<string, unknown> };
const queue = w.OtelRum;
w.OtelRum = { ...OtelRum, onReady: (cb: () => void) => cb() } as never;
for (const [method, args] of queue?.q ?? []) {
  try {
    (OtelRum as unknown as Record<string, (...a: unknown[]) => unknown>)[method]!(...Array.from(args));
  } catch (e) {
    console.error(`OtelRum: queued call ${method}() failed`, e);
  }
}
for (const cb of queue?.r ?? []) cb();
