/** Steps of work run one task each, so that none of them holds the main thread for long. */
export interface Slices {
  /** Runs every step not yet run, now (a step that calls it runs only the steps after itself). */
  finish(): void;
  /** Drops the steps not yet run. */
  cancel(): void;
}

/**
 * Runs `steps` in order, the first in a task of its own right after this one (setTimeout 0, once
 * `after` settled, if given) and each of the others in the task after the one before, so that
 * input and rendering can run in between; a step that returns a promise has the next wait for it
 * (finish() does not wait).
 * Each step is timed by a `performance.measure` named `measure`: the entries of that name, summed,
 * are the main-thread time of all the steps. The measures are recorded in the task after the step (a
 * page's first performance.measure costs about 0.1 ms), so that timing a step does not add to it.
 */
export function runInSlices(
  steps: (() => void | Promise<void>)[],
  measure: string,
  after?: Promise<unknown>,
): Slices {
  let next = 0;
  let depth = 0;
  const run = () => {
    const step = steps[next++]!;
    // A step run from within another (finish() called by a step) is part of that one's measure.
    const t0 = depth++ ? -1 : performance.now();
    try {
      return step();
    } finally {
      depth--;
      if (t0 >= 0) {
        const end = performance.now();
        setTimeout(() => {
          try {
            performance.measure?.(measure, { start: t0, end });
          } catch {
            // measures are informative only
          }
        }, 0);
      }
    }
  };
  const tick = () => {
    if (next >= steps.length) return;
    const wait = run();
    if (next < steps.length) {
      if (wait) void wait.then(tick, tick);
      else timer = setTimeout(tick, 0);
    }
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const first = () => void (timer = setTimeout(tick, 0));
  if (after) void after.then(first, first);
  else first();
  return {
    finish() {
      clearTimeout(timer);
      while (next < steps.length) run();
    },
    cancel() {
      clearTimeout(timer);
      next = steps.length;
    },
  };
}
