import { createSessionStore, type SessionState } from './sessionStore';

/** A minimal document.cookie (this project runs these tests in Node): a jar, and counts of reads. */
function installCookieJar(refuse: boolean) {
  const jar = new Map<string, string>();
  const stats = { reads: 0 };
  Object.defineProperty(globalThis, 'document', {
    configurable: true,
    value: {
      get cookie() {
        stats.reads++;
        return [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
      },
      set cookie(s: string) {
        if (refuse) return;
        const [pair, ...attrs] = s.split(';');
        const [name, value] = pair!.split('=') as [string, string];
        if (attrs.some((a) => a === 'max-age=0')) jar.delete(name);
        else jar.set(name, value);
      },
    },
  });
  Object.defineProperty(globalThis, 'location', { configurable: true, value: { protocol: 'http:' } });
  return stats;
}
const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));
const session = (id: string): SessionState => ({ id: id.repeat(32), created: Date.now(), last: Date.now() });

describe('session cookie store', () => {
  afterEach(() => {
    delete (globalThis as { document?: unknown }).document;
    delete (globalThis as { location?: unknown }).location;
  });

  it('writes without reading back, and reads what it wrote in a later task', async () => {
    const stats = installCookieJar(false);
    const store = createSessionStore('s', 60_000);
    expect(store.read()).toBeUndefined();
    expect(stats.reads).toBe(1);
    store.write(session('a'));
    expect(stats.reads).toBe(1);
    await nextTask();
    expect(store.read()?.id).toBe('a'.repeat(32));
    expect(stats.reads).toBe(2);
  });

  it('keeps the session in memory when cookies are refused, noticed at the next read', async () => {
    const stats = installCookieJar(true);
    const store = createSessionStore('s', 60_000);
    store.write(session('b'));
    await nextTask();
    expect(store.read()?.id).toBe('b'.repeat(32));
    const reads = stats.reads;
    store.write(session('c'));
    await nextTask();
    // Known to be refused: no more round trips to the cookie jar.
    expect(store.read()?.id).toBe('c'.repeat(32));
    expect(stats.reads).toBe(reads);
  });
});
