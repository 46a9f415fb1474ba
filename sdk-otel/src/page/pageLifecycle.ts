import type { RumBus } from '../lifecycle/rumEvents';

/** Throttle of session activity signals from user input. */
export const ACTIVITY_THROTTLE_MS = 1000;

/**
 * Page hide (tab hidden, navigation away, bfcache entry): tells the domains (final view and vitals
 * updates) and then flushes, while the page can still send. Also turns user input into activity and
 * tells when the page is shown again or restored from the bfcache: the one listener of each kind for
 * all domains (each listener added is main-thread time at init).
 */
export function watchPage(bus: RumBus, flush: (final: boolean) => void, beforeHide: () => void): () => void {
  const onVisibility = () => {
    if (document.visibilityState === 'hidden') {
      beforeHide();
      bus.emit('pageHidden', { final: false });
      flush(true);
    } else bus.emit('pageShown', undefined);
  };
  const onPageShow = (e: PageTransitionEvent) => e.persisted && bus.emit('pageRestored', undefined);
  const onPageHide = () => {
    beforeHide();
    bus.emit('pageHidden', { final: true });
    flush(true);
  };
  let lastActivity = 0;
  const onInput = (e: Event) => {
    if (e.type !== 'scroll' && e.isTrusted) bus.emit('userInput', undefined);
    if (e.timeStamp - lastActivity < ACTIVITY_THROTTLE_MS && lastActivity) return;
    lastActivity = e.timeStamp;
    bus.emit('activity', undefined);
  };
  // pointerdown covers mouse, pen and touch alike (no touchstart listener needed).
  const inputs = ['pointerdown', 'keydown', 'scroll'];
  const opts = { capture: true, passive: true };
  document.addEventListener('visibilitychange', onVisibility);
  addEventListener('pagehide', onPageHide);
  addEventListener('pageshow', onPageShow);
  for (const t of inputs) addEventListener(t, onInput, opts);
  return () => {
    document.removeEventListener('visibilitychange', onVisibility);
    removeEventListener('pagehide', onPageHide);
    removeEventListener('pageshow', onPageShow);
    for (const t of inputs) removeEventListener(t, onInput, opts);
  };
}
