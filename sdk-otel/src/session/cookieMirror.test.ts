type Mirror = typeof import('./cookieMirror');
type Change = { changed: { name: string; value?: string }[]; deleted: { name: string }[] };

/** A fresh copy of the module (it keeps one mirror per page) over a minimal cookieStore. */
function setup(getAll: () => Promise<{ name: string; value?: string }[]>) {
  const listeners: ((e: Change) => void)[] = [];
  Object.defineProperty(globalThis, 'cookieStore', {
    configurable: true,
    value: { getAll, addEventListener: (_: string, l: (e: Change) => void) => listeners.push(l) },
  });
  let mod!: Mirror;
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    mod = require('./cookieMirror') as Mirror;
  });
  return { mod, change: (e: Change) => listeners.forEach((l) => l(e)) };
}

describe('cookie mirror', () => {
  afterEach(() => delete (globalThis as { cookieStore?: unknown }).cookieStore);

  it('is filled by one read, then follows change events and our own writes', async () => {
    let answer!: (all: { name: string; value?: string }[]) => void;
    const { mod, change } = setup(() => new Promise((resolve) => (answer = resolve)));
    const ready = mod.mirrorCookies();
    expect(mod.mirroredCookies()).toBeUndefined();
    // A change that arrives while the read is pending is newer than what the read saw.
    change({ changed: [{ name: 's', value: 'new' }], deleted: [{ name: 'gone' }] });
    answer([
      { name: 's', value: 'old' },
      { name: 'gone', value: '1' },
      { name: 'other', value: 'x' },
    ]);
    await ready;
    expect([...mod.mirroredCookies()!]).toEqual([
      ['s', 'new'],
      ['other', 'x'],
    ]);
    change({ changed: [], deleted: [{ name: 'other' }] });
    mod.mirrorWrite('flag', '1');
    expect([...mod.mirroredCookies()!]).toEqual([
      ['s', 'new'],
      ['flag', '1'],
    ]);
  });

  it('stays off when the read fails, and does not hold the start back when it never answers', async () => {
    const failing = setup(() => Promise.reject(new Error('SecurityError')));
    await failing.mod.mirrorCookies();
    expect(failing.mod.mirroredCookies()).toBeUndefined();
    const silent = setup(() => new Promise(() => undefined));
    const t0 = Date.now();
    await silent.mod.mirrorCookies();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(silent.mod.COOKIE_MIRROR_WAIT_MS - 20);
    expect(silent.mod.mirroredCookies()).toBeUndefined();
  });
});
