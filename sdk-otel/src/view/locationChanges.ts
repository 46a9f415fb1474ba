/** Calls `onChange` after every History API navigation, back/forward and hash change. */
export function watchLocation(onChange: () => void): () => void {
  const h = history;
  let active = true;
  const patch = (name: 'pushState' | 'replaceState') => {
    const original = h[name];
    const patched = function (this: History, ...args: Parameters<History['pushState']>) {
      original.apply(this, args);
      if (active) onChange();
    };
    h[name] = patched;
    return () => {
      // Only unpatch when nobody wrapped us since; otherwise stay in place, inert.
      if (h[name] === patched) h[name] = original;
    };
  };
  const unpatchPush = patch('pushState');
  const unpatchReplace = patch('replaceState');
  addEventListener('popstate', onChange);
  addEventListener('hashchange', onChange);
  return () => {
    active = false;
    unpatchPush();
    unpatchReplace();
    removeEventListener('popstate', onChange);
    removeEventListener('hashchange', onChange);
  };
}

const HASH_ROUTE = /^#!?\//;

/**
 * Whether going from `from` to `to` is a new view: the path changed, or the fragment changed and
 * looks like a hash route (#/... or #!/...). Query-only changes and in-page anchors are not.
 */
export function isNewView(from: string, to: string): boolean {
  const split = (u: string) => {
    const hash = u.indexOf('#');
    const noHash = hash < 0 ? u : u.slice(0, hash);
    const q = noHash.indexOf('?');
    return [q < 0 ? noHash : noHash.slice(0, q), hash < 0 ? '' : u.slice(hash)] as const;
  };
  const [pathA, hashA] = split(from);
  const [pathB, hashB] = split(to);
  if (pathA !== pathB) return true;
  return hashA !== hashB && (HASH_ROUTE.test(hashA) || HASH_ROUTE.test(hashB));
}
