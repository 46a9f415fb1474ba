/** What is stored about a session; localStorage makes it shared by every tab of the site. */
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
  clear(): void;
}

const isState = (v: unknown): v is SessionState => {
  const s = v as SessionState;
  return !!s && typeof s.id === 'string' && typeof s.created === 'number' && typeof s.last === 'number';
};

/** localStorage under `key`, or memory when storage is unavailable (privacy modes, sandboxed frames). */
export function createSessionStore(key: string): SessionStore {
  let memory: SessionState | undefined;
  let storage: Storage | undefined;
  try {
    storage = localStorage;
    storage.setItem(key + '_probe', '1');
    storage.removeItem(key + '_probe');
  } catch {
    storage = undefined;
  }
  return {
    read() {
      if (!storage) return memory;
      try {
        const parsed: unknown = JSON.parse(storage.getItem(key) || 'null');
        return isState(parsed) ? parsed : undefined;
      } catch {
        return undefined;
      }
    },
    write(state) {
      memory = state;
      try {
        storage?.setItem(key, JSON.stringify(state));
      } catch {
        // storage full or revoked: the session stays in memory for this tab
      }
    },
    clear() {
      memory = undefined;
      try {
        storage?.removeItem(key);
      } catch {
        // nothing stored
      }
    },
  };
}
