import { EventName, SESSION_PREVIOUS_ID } from '@otel-rum/model';
import { newId128 } from '../ids';
import type { RumBus } from '../lifecycle/rumEvents';
import type { SessionState, SessionStore } from './sessionStore';

/** How often a tab re-reads the shared session and how often activity is written back. */
export const SESSION_SYNC_MS = 1000;

export interface SessionManager {
  /** The live session, renewed first when it expired (emitting session.end and session.start). */
  current(): SessionState;
  /** Records user activity, which keeps the session alive. */
  touch(): void;
  /** The session as this tab last read it, or undefined once it expired; never renews (replay pauses then). */
  peek(): SessionState | undefined;
}

export interface SessionOptions {
  store: SessionStore;
  bus: RumBus;
  idleMs: number;
  maxMs: number;
  now(): number;
}

export function createSessionManager(o: SessionOptions): SessionManager {
  let state: SessionState | undefined;
  let readAt = -Infinity;

  const expired = (s: SessionState, t: number) => t - s.last > o.idleMs || t - s.created > o.maxMs;
  const endTime = (s: SessionState) => Math.min(s.last + o.idleMs, s.created + o.maxMs);

  const current = (): SessionState => {
    const t = o.now();
    // Without a session in memory the store is read below, and what it held (expired) is the old one.
    let stored: SessionState | undefined;
    if (!state || t - readAt > SESSION_SYNC_MS) {
      readAt = t;
      stored = o.store.read();
      if (stored && !expired(stored, t)) {
        const previous = state;
        state = stored;
        if (previous && previous.id !== stored.id)
          o.bus.emit('sessionRenewed', { id: stored.id, previousId: previous.id });
        return stored;
      }
    }
    if (state && !expired(state, t)) return state;

    const old = state ?? stored;
    const fresh: SessionState = { id: newId128(), created: t, last: t };
    if (old) fresh.previousId = old.id;
    state = fresh;
    readAt = t;
    o.store.write(fresh);
    if (old)
      o.bus.emit('collected', {
        name: EventName.SESSION_END,
        time: endTime(old),
        attributes: {},
        context: { sessionId: old.id },
      });
    o.bus.emit('collected', {
      name: EventName.SESSION_START,
      time: t,
      attributes: old ? { [SESSION_PREVIOUS_ID]: old.id } : {},
    });
    if (old) o.bus.emit('sessionRenewed', { id: fresh.id, previousId: old.id });
    return fresh;
  };

  return {
    current,
    peek: () => (state && !expired(state, o.now()) ? state : undefined),
    touch() {
      const s = current();
      const t = o.now();
      if (t - s.last > SESSION_SYNC_MS) {
        s.last = t;
        o.store.write(s);
      }
    },
  };
}
