import { RUM_VIEW_LOADING_TIME, type ViewLoadingType } from '@otel-rum/model';
import { fromPerf } from '../clock';
import type { RumBus } from '../lifecycle/rumEvents';
import { navigationEntry } from './navigationTimings';

/** Quiet time (no DOM change, no request in flight) after which a view has finished loading. */
export const VIEW_SETTLE_MS = 100;
/** A view still busy after this long (polling, animations) gets no loading time. */
export const VIEW_LOADING_MAX_MS = 30_000;

/**
 * The loading time of every view, route changes included: from the view's start until the page
 * settled, i.e. the last DOM change or request end before VIEW_SETTLE_MS of quiet with no request in
 * flight. The initial load also waits for the load event. Not reported when the page is hidden
 * first or it never settles within VIEW_LOADING_MAX_MS. The initial load's DOM changes are watched
 * from its load event on: those before it cannot end the view later than the load event does, and
 * the page is spared a mutation record for every node it parses (and init the observer's setup).
 */
export function trackViewLoading(bus: RumBus, now: () => number): () => void {
  let view:
    | { id: string; start: number; last?: number; requests: number; waitLoad: boolean; loadEnd?: boolean }
    | undefined;
  let settleTimer: ReturnType<typeof setTimeout> | undefined;
  let maxTimer: ReturnType<typeof setTimeout> | undefined;
  let observer: MutationObserver | undefined;
  const watchDom = () => {
    if (typeof MutationObserver === 'undefined') return;
    observer ??= new MutationObserver(() => activity());
    observer.observe(document, { childList: true, subtree: true, attributes: true, characterData: true });
  };

  const stop = () => {
    clearTimeout(settleTimer);
    clearTimeout(maxTimer);
    observer?.disconnect();
    view = undefined;
  };
  const settled = () => {
    const v = view;
    stop();
    if (!v) return;
    // The initial load's end: its load event's end, once the load event has run (onLoad).
    const nav = v.loadEnd && navigationEntry();
    if (nav && nav.loadEventEnd > 0) v.last = Math.max(v.last ?? 0, fromPerf(nav.loadEventEnd));
    bus.emit('viewTiming', {
      viewId: v.id,
      key: RUM_VIEW_LOADING_TIME,
      value: (v.last ?? v.start) - v.start,
    });
  };
  const arm = () => {
    clearTimeout(settleTimer);
    if (view && view.requests <= 0 && !view.waitLoad) settleTimer = setTimeout(settled, VIEW_SETTLE_MS);
  };
  const activity = (at = now()) => {
    if (!view) return;
    view.last = Math.max(view.last ?? 0, at);
    arm();
  };
  // The DOM from the load event on. The load event's end is only known after it (loadEventEnd), so
  // the view is busy until now, and settled() takes that end from the navigation entry: no task of
  // its own to read it.
  const onLoad = () => {
    if (!view?.waitLoad) return;
    watchDom();
    view.waitLoad = false;
    view.loadEnd = true;
    activity();
  };

  const begin = ({ id, time, loadingType }: { id: string; time: number; loadingType: ViewLoadingType }) => {
    stop();
    const initial = loadingType === 'initial_load';
    view = { id, start: time, requests: 0, waitLoad: initial && document.readyState !== 'complete' };
    if (!initial) watchDom();
    maxTimer = setTimeout(stop, VIEW_LOADING_MAX_MS);
    // The initial load was busy at least until now (the SDK starts while the page loads).
    if (initial) view.last = now();
    if (initial && !view.waitLoad) {
      view.waitLoad = true;
      onLoad();
    }
    arm();
  };

  addEventListener('load', onLoad);
  const offs = [
    bus.on('viewStarted', begin),
    bus.on('requestStarted', () => {
      if (!view) return;
      view.requests++;
      activity();
    }),
    bus.on('spanEnded', () => {
      if (!view) return;
      view.requests = Math.max(0, view.requests - 1);
      activity();
    }),
    bus.on('pageHidden', stop),
  ];
  return () => {
    stop();
    removeEventListener('load', onLoad);
    offs.forEach((off) => off());
  };
}
