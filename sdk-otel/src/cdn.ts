/*
 * Entry of the CDN bundle: defines the one global `OtelRum`. If the async loader snippet ran first,
 * the global is its stub; the calls it queued are replayed in order, then the stub is replaced.
 */
import { OtelRum } from './index';

type Stub = { q?: [string, ArrayLike<unknown>][]; r?: (() => void)[] };

const w = window as unknown as { OtelRum?: Stub & Record<string, unknown> };
const stub = w.OtelRum;
w.OtelRum = { ...OtelRum, onReady: (cb: () => void) => cb() } as never;
for (const [method, args] of stub?.q ?? []) {
  try {
    (OtelRum as unknown as Record<string, (...a: unknown[]) => unknown>)[method]!(...Array.from(args));
  } catch (e) {
    console.error(`OtelRum: queued call ${method}() failed`, e);
  }
}
for (const cb of stub?.r ?? []) cb();
