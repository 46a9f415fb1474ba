/** The performance timeline as the SDK reads it: one observer for all its entry types. */
export interface Timeline {
  /**
   * Calls `handler` with every entry of `type`, those the browser buffered before included; one
   * handler per type. False where the browser has no such entries.
   */
  observe(type: string, handler: (e: PerformanceEntry) => void, extra?: object): boolean;
  /** Hands the entries the browser has queued but not yet delivered to their handlers, now (page hide). */
  takeRecords(): void;
  stop(): void;
}

/**
 * One PerformanceObserver for resources, the navigation, paints, LCP candidates, layout shifts, event
 * timings and long animation frames, its entries dispatched by type. Each observer created is main-thread time at
 * the start, and each delivers its entries in a task of its own: with one, the entries buffered before
 * the start (the page's resources, its navigation and first paint) arrive together, in one task.
 */
export function createTimeline(): Timeline {
  const handlers: Record<string, (e: PerformanceEntry) => void> = {};
  const each = (e: PerformanceEntry) => handlers[e.entryType]?.(e);
  let po: PerformanceObserver | undefined;
  return {
    observe(type, handler, extra) {
      try {
        po ??= new PerformanceObserver((list) => list.getEntries().forEach(each));
        po.observe({ type, buffered: true, ...extra });
        handlers[type] = handler;
        return true;
      } catch {
        // entry type (or PerformanceObserver) not supported here
        return false;
      }
    },
    takeRecords: () => po?.takeRecords().forEach(each),
    stop: () => po?.disconnect(),
  };
}
