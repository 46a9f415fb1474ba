import { mirroredCookies, mirrorWrite } from './cookieMirror';

/** What is stored about a session; a first-party cookie makes it shared by every tab of the site. */
export interface SessionState {
  id: string;
  /** Epoch ms the session began. */
  created: number;
  /** Epoch ms of the last user activity. */
  last: number;
  /** Session id this one replaced, if any. */
  previousId?: string;
}

/** Where the session lives. */
export interface SessionStore {
  read(): SessionState | undefined;
  write(state: SessionState): void;
}

/** `id.created.last[.previousId]`, times in base 36: a cookie value without characters to escape. */
export function serializeSession(s: SessionState): string {
  return [s.id, Math.round(s.created).toString(36), Math.round(s.last).toString(36), s.previousId]
    .filter((p) => p !== undefined)
    .join('.');
}

export function parseSession(value: string | undefined): SessionState | undefined {
  const [id, created, last, previousId] = (value || '').split('.');
  const base36 = /^[0-9a-z]+$/;
  if (!id || !/^[0-9a-f]{32}$/.test(id) || !base36.test(created || '') || !base36.test(last || ''))
    return undefined;
  const s: SessionState = { id, created: parseInt(created!, 36), last: parseInt(last!, 36) };
  if (previousId) s.previousId = previousId;
  return s;
}

// document.cookie is a synchronous round trip to the browser process, and costly: reads within one
// task share one snapshot, which our own writes keep current.
let snapshot: string | undefined;
const cookies = (): string => {
  if (snapshot === undefined) {
    snapshot = document.cookie;
    setTimeout(() => (snapshot = undefined), 0);
  }
  return snapshot;
};

/** The value of cookie `name`: from the mirror once there is one, else a per-task snapshot of document.cookie. */
export function readCookie(name: string): string | undefined {
  const mirror = mirroredCookies();
  if (mirror) return mirror.get(name);
  for (const part of cookies().split('; ')) {
    const eq = part.indexOf('=');
    if (part.slice(0, eq) === name) return part.slice(eq + 1);
  }
  return undefined;
}

export function writeCookie(name: string, value: string, maxAgeS: number, domain?: string): void {
  document.cookie =
    `${name}=${value};path=/;max-age=${Math.round(maxAgeS)};SameSite=Lax` +
    (domain ? `;domain=${domain}` : '') +
    (location.protocol === 'https:' ? ';Secure' : '');
  snapshot = undefined;
  mirrorWrite(name, maxAgeS > 0 ? value : undefined);
}

/**
 * The session in a first-party cookie named `name` (shared by the tabs of the site, and by its
 * subdomains when `domain` is given), living as long as the session may. Memory when cookies are off.
 */
export function createSessionStore(name: string, maxAgeMs: number, domain?: string): SessionStore {
  let memory: SessionState | undefined;
  let usable = typeof document !== 'undefined';
  // Until when our first write, not yet read back, should be there. It is checked at the next read,
  // not right after the write: a read after a write is another round trip to the browser process.
  let unverifiedUntil = 0;
  return {
    read() {
      if (!usable) return memory;
      try {
        const value = readCookie(name);
        // Cookies refused (disabled, or a sandboxed frame): keep the session in memory for this tab.
        if (value === undefined && Date.now() < unverifiedUntil) usable = false;
        unverifiedUntil = 0;
        return parseSession(value) ?? memory;
      } catch {
        usable = false;
        return memory;
      }
    },
    write(state) {
      if (!memory) unverifiedUntil = Date.now() + maxAgeMs;
      memory = state;
      if (!usable) return;
      try {
        writeCookie(name, serializeSession(state), maxAgeMs / 1000, domain);
      } catch {
        usable = false;
      }
    },
  };
}
