import {
  EventName,
  RUM_VIEW_CLS,
  RUM_VIEW_FCP,
  RUM_VIEW_INP,
  RUM_VIEW_LCP,
  RUM_WEB_VITAL_TARGET,
  WEB_VITAL_DELTA,
  WEB_VITAL_ID,
  WEB_VITAL_NAME,
  WEB_VITAL_NAVIGATION_TYPE,
  WEB_VITAL_RATING,
  WEB_VITAL_VALUE,
} from '@otel-rum/model';
import { selectorOf } from '../action/selector';
import { newId64 } from '../ids';
import type { RumBus } from '../lifecycle/rumEvents';
import type { Timeline } from '../page/timeline';
import { navigationEntry } from '../view/navigationTimings';
import { createInpAccumulator } from './interactions';
import { createClsAccumulator } from './layoutShifts';
import { rating, type VitalName } from './rating';

/** Event timing entries shorter than this are not reported by the browser (its minimum is 16). */
export const EVENT_TIMING_THRESHOLD_MS = 40;

export interface VitalsOptions {
  bus: RumBus;
  /** Id of the view in progress. */
  viewId(): string;
  now(): number;
  timeline: Timeline;
}

interface LayoutShiftEntry extends PerformanceEntry {
  value: number;
  hadRecentInput: boolean;
  sources?: { node?: Node | null }[];
}
interface EventTimingEntry extends PerformanceEntry {
  interactionId?: number;
  target?: Node | null;
}
interface LcpEntry extends PerformanceEntry {
  element?: Element | null;
}

/**
 * Web vitals of the page (LCP, INP, CLS, FCP, TTFB) as `browser.web_vital` events with rating and the
 * target element's selector; the same measures per view feed the view's timings. LCP is final at the
 * first input or page hide; CLS and INP are reported at every page hide when they changed.
 */
export function startVitalsCollection(o: VitalsOptions): () => void {
  const { bus } = o;
  const nav = navigationEntry();
  let navigationType = nav?.type === 'back_forward' ? 'back-forward' : nav?.type || 'navigate';
  const ids: Partial<Record<VitalName, string>> = {};
  const reported: Partial<Record<VitalName, number>> = {};
  const initialViewId = o.viewId();
  // A page loaded in the background paints when shown: its paint timings say nothing about the user.
  let firstHidden = document.visibilityState === 'hidden' ? 0 : Infinity;

  const report = (name: VitalName, value: number, target?: string) => {
    const last = reported[name];
    if (last === value) return;
    reported[name] = value;
    bus.emit('collected', {
      name: EventName.WEB_VITAL,
      time: o.now(),
      attributes: {
        [WEB_VITAL_NAME]: name,
        [WEB_VITAL_VALUE]: value,
        [WEB_VITAL_DELTA]: value - (last ?? 0),
        [WEB_VITAL_ID]: (ids[name] ||= `${name}-${newId64()}`),
        [WEB_VITAL_NAVIGATION_TYPE]: navigationType,
        [WEB_VITAL_RATING]: rating(name, value),
        [RUM_WEB_VITAL_TARGET]: target,
      },
    });
  };
  const timing = (viewId: string, key: string, value: number) =>
    bus.emit('viewTiming', { viewId, key, value });

  let pageCls = createClsAccumulator();
  let pageInp = createInpAccumulator();
  let viewCls = createClsAccumulator();
  let viewInp = createInpAccumulator();
  // The candidate's element, its selector taken once, when LCP is reported (a page has several
  // candidates while it loads; the selector's DOM walk is main-thread time in its first tasks).
  let lcp: { value: number; element?: Element | null } | undefined;
  let lcpFinal = false;

  // The page's one performance observer, its entries dispatched by type.
  const observe = o.timeline.observe;

  if (nav && nav.responseStart > 0)
    report(
      'ttfb',
      Math.max(0, nav.responseStart - ((nav as { activationStart?: number }).activationStart || 0)),
    );

  observe('paint', (e) => {
    if (e.name === 'first-contentful-paint' && e.startTime < firstHidden) {
      report('fcp', e.startTime);
      timing(initialViewId, RUM_VIEW_FCP, e.startTime);
    }
  });
  // LCP candidates until the first input or page hide; the browser reports none after an input.
  observe('largest-contentful-paint', (e) => {
    if (lcpFinal || e.startTime >= firstHidden) return;
    lcp = { value: e.startTime, element: (e as LcpEntry).element };
    timing(initialViewId, RUM_VIEW_LCP, e.startTime);
  });
  const finalizeLcp = () => {
    if (lcpFinal) return;
    // Candidates the browser has queued but not yet delivered still count.
    o.timeline.takeRecords();
    lcpFinal = true;
    if (lcp) report('lcp', lcp.value, selectorOf(lcp.element));
  };
  const clsSupported = observe('layout-shift', (entry) => {
    const e = entry as LayoutShiftEntry;
    if (e.hadRecentInput) return;
    const node = e.sources?.find((s) => s.node && s.node.nodeType === 1)?.node as Element | undefined;
    const shift = { startTime: e.startTime, value: e.value, target: selectorOf(node) };
    pageCls.add(shift);
    viewCls.add(shift);
    timing(o.viewId(), RUM_VIEW_CLS, viewCls.value());
  });
  const onEvent = (entry: PerformanceEntry) => {
    const e = entry as EventTimingEntry;
    if (!e.interactionId) return;
    const i = {
      id: e.interactionId,
      duration: e.duration,
      target: selectorOf(e.target as Element),
      type: e.name,
    };
    pageInp.add(i);
    viewInp.add(i);
    timing(o.viewId(), RUM_VIEW_INP, viewInp.worst()!.duration);
  };
  observe('event', onEvent, { durationThreshold: EVENT_TIMING_THRESHOLD_MS });
  observe('first-input', onEvent);

  // The first trusted pointerdown or keydown ends LCP.
  const offInput = bus.on('userInput', () => {
    offInput();
    finalizeLcp();
  });

  const offs = [
    offInput,
    bus.on('pageRestored', () => {
      // A bfcache restore is a new page visit for the vitals: new ids, fresh CLS and INP.
      navigationType = 'back-forward-cache';
      for (const k in ids) delete ids[k as VitalName];
      for (const k in reported) delete reported[k as VitalName];
      pageCls = createClsAccumulator();
      pageInp = createInpAccumulator();
    }),
    bus.on('viewStarted', () => {
      viewCls = createClsAccumulator();
      viewInp = createInpAccumulator();
    }),
    bus.on('pageHidden', () => {
      firstHidden = Math.min(firstHidden, performance.now());
      // Entries the browser has queued but not yet delivered still count.
      o.timeline.takeRecords();
      finalizeLcp();
      if (clsSupported) report('cls', pageCls.value(), pageCls.target());
      const worst = pageInp.worst();
      if (worst) report('inp', worst.duration, worst.target);
    }),
  ];

  return () => {
    offs.forEach((off) => off());
  };
}
