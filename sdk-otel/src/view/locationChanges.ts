/** What the SDK uses of the Navigation API (Chromium 102+; not yet in every browser). */
interface NavigationLike {
  addEventListener(type: 'currententrychange', listener: () => void): void;
  removeEventListener(type: 'currententrychange', listener: () => void): void;
}

/**
 * Calls `onChange` after every History API navigation, back/forward and hash change. Where the
 * Navigation API exists, its `currententrychange` event announces all of them (pushState,
 * replaceState, traversals, fragment navigations) with one listener; elsewhere pushState and
 * replaceState are wrapped and popstate and hashchange listened to. One listener is less work at init
 * than two wrapped methods and two listeners (the History object and its wrappers are set up at first use).
 */
export function watchLocation(onChange: () => void): () => void {
  const nav = (globalThis as { navigation?: NavigationLike }).navigation;
  if (nav) {
    nav.addEventListener('currententrychange', onChange);
    return () => nav.removeEventListener('currententrychange', onChange);
  }
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

const isHashRoute = (hash: string) => hash.startsWith('#/') || hash.startsWith('#!/');

/**
 * The route of a URL, which decides views: its path plus its fragment when the fragment is a hash
 * route (#/... or #!/...). An in-page anchor (#section) keeps the route it was on (`previous`), so
 * neither anchors nor query changes start a view.
 */
export function routeOf(url: string, previous?: string): string {
  const hashAt = url.indexOf('#');
  const noHash = hashAt < 0 ? url : url.slice(0, hashAt);
  const hash = hashAt < 0 ? '' : url.slice(hashAt);
  const q = noHash.indexOf('?');
  const path = q < 0 ? noHash : noHash.slice(0, q);
  if (isHashRoute(hash)) return path + hash;
  if (hash.length > 1 && previous && previous.split('#')[0] === path) return previous;
  return path;
}
