import { EventName, SESSION_PREVIOUS_ID } from '@otel-rum/model';
import { createEventBus } from '../lifecycle/eventBus';
import type { RawEvent, RumBusEvents } from '../lifecycle/rumEvents';
import { createSessionManager } from './sessionManager';
import type { SessionState, SessionStore } from './sessionStore';

/** A store shared by "tabs", as localStorage is. */
function sharedStore(): SessionStore {
  let state: SessionState | undefined;
  return {
    read: () => (state ? { ...state } : undefined),
    write: (s) => (state = { ...s }),
  };
}

function tab(store: SessionStore, clock: { t: number }) {
  const bus = createEventBus<RumBusEvents>();
  const events: RawEvent[] = [];
  const renewals: unknown[] = [];
  bus.on('collected', (e) => events.push(e));
  bus.on('sessionRenewed', (r) => renewals.push(r));
  const sessions = createSessionManager({
    store,
    bus,
    idleMs: 15 * 60_000,
    maxMs: 4 * 3600_000,
    now: () => clock.t,
  });
  return { sessions, events, renewals };
}

describe('sessions', () => {
  it('starts one session shared by tabs and announces it once', () => {
    const store = sharedStore();
    const clock = { t: 1_000_000 };
    const a = tab(store, clock);
    const b = tab(store, clock);
    const id = a.sessions.current().id;
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(b.sessions.current().id).toBe(id);
    expect(a.events.map((e) => e.name)).toEqual([EventName.SESSION_START]);
    expect(b.events).toEqual([]);
  });

  it('expires after inactivity and renews with session.end and session.start carrying the previous id', () => {
    const store = sharedStore();
    const clock = { t: 1_000_000 };
    const a = tab(store, clock);
    const first = a.sessions.current().id;
    clock.t += 10 * 60_000;
    a.sessions.touch();
    clock.t += 10 * 60_000;
    expect(a.sessions.current().id).toBe(first); // activity kept it alive
    clock.t += 16 * 60_000;
    const second = a.sessions.current().id;
    expect(second).not.toBe(first);
    const [, end, start] = a.events;
    expect(end!.name).toBe(EventName.SESSION_END);
    expect(end!.context?.sessionId).toBe(first);
    // It ended 15 min after the last activity (the touch), not when it was noticed.
    expect(end!.time).toBe(1_000_000 + 10 * 60_000 + 15 * 60_000);
    expect(start!.attributes[SESSION_PREVIOUS_ID]).toBe(first);
    expect(a.renewals).toEqual([{ id: second, previousId: first }]);
  });

  it('ends a session at its maximum length even when active', () => {
    const store = sharedStore();
    const clock = { t: 0 };
    const a = tab(store, clock);
    const first = a.sessions.current().id;
    for (let i = 0; i < 25; i++) {
      clock.t += 10 * 60_000;
      a.sessions.touch();
    }
    expect(a.sessions.current().id).not.toBe(first);
  });

  it('follows a renewal made by another tab without announcing it again', () => {
    const store = sharedStore();
    const clock = { t: 0 };
    const a = tab(store, clock);
    const b = tab(store, clock);
    const first = a.sessions.current().id;
    b.sessions.current();
    clock.t += 20 * 60_000;
    const renewed = a.sessions.current().id;
    clock.t += 2000;
    expect(b.sessions.current().id).toBe(renewed);
    expect(b.events).toEqual([]);
    expect(b.renewals).toEqual([{ id: renewed, previousId: first }]);
  });

  it('peek gives the live session without renewing it, and nothing once it expired', () => {
    const store = sharedStore();
    const clock = { t: 1_000_000 };
    const a = tab(store, clock);
    expect(a.sessions.peek()).toBeUndefined();
    const id = a.sessions.current().id;
    expect(a.sessions.peek()?.id).toBe(id);
    clock.t += 16 * 60_000;
    expect(a.sessions.peek()).toBeUndefined();
    expect(a.events.map((e) => e.name)).toEqual([EventName.SESSION_START]);
    expect(a.sessions.current().id).not.toBe(id);
  });
});
