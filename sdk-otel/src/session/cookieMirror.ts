/** What the SDK uses of the Cookie Store API (secure contexts of Chromium 87+, Firefox 140+, Safari 18.4+). */
interface CookieStoreLike {
  getAll(): Promise<{ name: string; value?: string }[]>;
  addEventListener(
    type: 'change',
    listener: (e: { changed: { name: string; value?: string }[]; deleted: { name: string }[] }) => void,
  ): void;
}

/** Longest wait for the mirror before the deferred start goes on without it (document.cookie then). */
export const COOKIE_MIRROR_WAIT_MS = 500;

let mirror: Map<string, string> | undefined;
let filling: Promise<void> | undefined;

/**
 * The page's cookies, or undefined until (or unless) mirrored. Reading document.cookie is a
 * synchronous round trip to the browser process, the first time and after every change, which
 * blocks the main thread for milliseconds on a busy machine; the mirror is filled once,
 * asynchronously, and kept current by the Cookie Store's change events (our writes and other tabs').
 */
export const mirroredCookies = (): Map<string, string> | undefined => mirror;

/** Our own write (undefined: a deletion), in the mirror at once: what we wrote is read back as such. */
export function mirrorWrite(name: string, value: string | undefined): void {
  if (value === undefined) mirror?.delete(name);
  else mirror?.set(name, value);
}

/**
 * Starts mirroring the cookies where the Cookie Store API exists; resolves once the mirror is filled,
 * at once without the API, and after COOKIE_MIRROR_WAIT_MS at the latest.
 */
export function mirrorCookies(): Promise<void> {
  if (!filling) {
    const m = new Map<string, string>();
    // Changes that arrive while the first read is pending apply after it.
    let pending: (() => void)[] | undefined = [];
    try {
      const store = (globalThis as { cookieStore?: CookieStoreLike }).cookieStore;
      store?.addEventListener('change', (e) => {
        const apply = () => {
          for (const c of e.changed) m.set(c.name, c.value ?? '');
          for (const c of e.deleted) m.delete(c.name);
        };
        if (pending) pending.push(apply);
        else apply();
      });
      filling = store?.getAll().then(
        (all) => {
          for (const c of all) m.set(c.name, c.value ?? '');
          pending!.forEach((apply) => apply());
          pending = undefined;
          mirror = m;
        },
        () => undefined,
      );
    } catch {
      // no usable Cookie Store here (a sandboxed frame): document.cookie it is
    }
  }
  return filling
    ? Promise.race([filling, new Promise<void>((resolve) => setTimeout(resolve, COOKIE_MIRROR_WAIT_MS))])
    : Promise.resolve();
}
