import type { ViewLoadingType } from '@otel-rum/model';
import { fromPerf } from '../clock';
import { newId64 } from '../ids';
import type { RumBus } from '../lifecycle/rumEvents';
import { routeOf, watchLocation } from './locationChanges';
import { documentTraceparent } from '../tracing/serverTiming';
import { navigationEntry, navigationTimings } from './navigationTimings';
import { COUNTED, pathOf, viewStartEvent, viewUpdateEvent, type View } from './view';

export interface ViewTracker {
  current(): View;
  /** Ends the current view and starts another (manual view API and route changes). */
  startView(name?: string, loadingType?: ViewLoadingType): void;
  /** Sends the current view's state now (without ending it). */
  update(): void;
  stop(): void;
}

export interface ViewOptions {
  bus: RumBus;
  /** When true, route changes do not start views; only startView does. */
  manual: boolean;
  now(): number;
}

/**
 * Views: the initial load, every SPA route change (History API, hash routes), bfcache restores and
 * manual views. A view is sent when it starts and again, same id, when it ends or the page is hidden.
 */
export function startViewTracking(o: ViewOptions): ViewTracker {
  const { bus } = o;
  const make = (loadingType: ViewLoadingType, start: number, referrer: string, name?: string): View => ({
    id: newId64(),
    name: name || pathOf(location.href),
    url: location.href,
    loadingType,
    referrer,
    start,
    counts: { errors: 0, actions: 0, resources: 0, longTasks: 0 },
    timings: {},
    ended: false,
  });

  let view = make('initial_load', fromPerf(0), document.referrer);
  view.trace = documentTraceparent(navigationEntry());

  const send = (v: View) => {
    if (v.loadingType === 'initial_load') Object.assign(v.timings, navigationTimings(), v.timings);
    bus.emit('collected', viewUpdateEvent(v, o.now()));
  };
  const begin = (v: View) => {
    view = v;
    bus.emit('collected', viewStartEvent(v));
    bus.emit('viewStarted', { id: v.id, url: v.url, time: v.start, loadingType: v.loadingType });
  };
  const end = () => {
    if (view.ended) return;
    view.ended = true;
    send(view);
  };
  const startView = (name?: string, loadingType: ViewLoadingType = 'route_change') => {
    const previous = view;
    end();
    begin(make(loadingType, o.now(), previous.url, name));
  };

  const offs = [
    bus.on('collected', (e) => {
      const key = COUNTED[e.name];
      if (key && (!e.context?.viewId || e.context.viewId === view.id)) view.counts[key]++;
    }),
    bus.on('viewTiming', ({ viewId, key, value }) => {
      if (viewId === view.id) view.timings[key] = value;
    }),
    bus.on('pageHidden', ({ final }) => (final ? end() : view.ended || send(view))),
    bus.on('sessionRenewed', ({ previousId }) => {
      view.sessionId = previousId;
      startView(view.name === pathOf(view.url) ? undefined : view.name, 'route_change');
    }),
  ];

  let route = routeOf(location.href);
  const onLocation = () => {
    const href = location.href;
    if (href === view.url) return;
    const next = routeOf(href, route);
    if (!o.manual && next !== route) startView();
    else view.url = href;
    route = next;
  };
  const stopWatching = watchLocation(onLocation);
  offs.push(
    bus.on('pageRestored', () => {
      const previous = view;
      view.ended = true;
      begin(make('bf_cache', o.now(), previous.url));
    }),
  );

  begin(view);

  return {
    current: () => view,
    startView,
    update: () => view.ended || send(view),
    stop() {
      end();
      offs.forEach((off) => off());
      stopWatching();
    },
  };
}
