/** A layout shift is in the current session window when it comes within this gap of the previous one… */
export const CLS_WINDOW_GAP_MS = 1000;
/** …and the window is not longer than this. */
export const CLS_WINDOW_MAX_MS = 5000;

export interface Shift {
  startTime: number;
  value: number;
  /** Selector of the node that moved most, if known. */
  target?: string;
}

/**
 * Cumulative Layout Shift: shifts without recent input grouped into session windows; the score is
 * the largest window's sum, attributed to the largest shift of that window.
 */
export function createClsAccumulator() {
  let windowValue = 0;
  let windowStart = 0;
  let windowLast = 0;
  let windowTop: Shift | undefined;
  let best = 0;
  let bestTarget: string | undefined;
  return {
    add(s: Shift) {
      if (
        windowValue &&
        s.startTime - windowLast < CLS_WINDOW_GAP_MS &&
        s.startTime - windowStart < CLS_WINDOW_MAX_MS
      ) {
        windowValue += s.value;
        if (!windowTop || s.value > windowTop.value) windowTop = s;
      } else {
        windowValue = s.value;
        windowStart = s.startTime;
        windowTop = s;
      }
      windowLast = s.startTime;
      if (windowValue > best) {
        best = windowValue;
        bestTarget = windowTop?.target;
      }
    },
    value: () => best,
    target: () => bestTarget,
  };
}
