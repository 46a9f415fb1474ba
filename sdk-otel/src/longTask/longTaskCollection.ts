import { EventName, RUM_LONG_TASK_DURATION, RUM_LONG_TASK_SCRIPT, RUM_LONG_TASK_TYPE } from '@otel-rum/model';
import { fromPerf } from '../clock';
import type { RumBus } from '../lifecycle/rumEvents';
import type { Timeline } from '../page/timeline';

interface ScriptTiming {
  duration: number;
  invoker?: string;
  sourceURL?: string;
  sourceFunctionName?: string;
  sourceCharPosition?: number;
}
interface LoafEntry extends PerformanceEntry {
  scripts?: ScriptTiming[];
}

/** The script that ran longest in a long animation frame: "invoker (function @ url:char)". */
export function longestScript(scripts: ScriptTiming[] | undefined): string | undefined {
  const top = scripts?.reduce<ScriptTiming | undefined>(
    (a, s) => (!a || s.duration > a.duration ? s : a),
    undefined,
  );
  if (!top) return undefined;
  const where = top.sourceURL
    ? `${top.sourceURL}${top.sourceCharPosition! >= 0 ? `:${top.sourceCharPosition}` : ''}`
    : '';
  const fn = top.sourceFunctionName ? `${top.sourceFunctionName} @ ` : '';
  return `${top.invoker || 'script'}${where || fn ? ` (${fn}${where})` : ''}`;
}

/**
 * Long Animation Frames (with the script that ran longest) where the browser has them, long tasks
 * otherwise. Both are only reported by the browser past 50 ms.
 */
export function startLongTaskCollection(bus: RumBus, timeline: Timeline): void {
  if (typeof PerformanceObserver === 'undefined') return;
  const loaf = PerformanceObserver.supportedEntryTypes?.includes('long-animation-frame');
  const type = loaf ? 'long-animation-frame' : 'longtask';
  timeline.observe(type, (e) =>
    bus.emit('collected', {
      name: EventName.LONG_TASK,
      time: fromPerf(e.startTime),
      attributes: {
        [RUM_LONG_TASK_DURATION]: e.duration,
        [RUM_LONG_TASK_TYPE]: type,
        [RUM_LONG_TASK_SCRIPT]: loaf ? longestScript((e as LoafEntry).scripts) : undefined,
      },
    }),
  );
}
