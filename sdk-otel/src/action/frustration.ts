/** Clicks on one target within RAGE_WINDOW_MS that make a rage click. */
export const RAGE_CLICK_COUNT = 3;
export const RAGE_WINDOW_MS = 1000;

/** Remembers recent clicks; tells whether a click completes a rage sequence on its target. */
export function createRageDetector() {
  let recent: { target: string; time: number }[] = [];
  return (target: string, time: number): boolean => {
    recent = recent.filter((c) => time - c.time < RAGE_WINDOW_MS);
    recent.push({ target, time });
    return recent.filter((c) => c.target === target).length >= RAGE_CLICK_COUNT;
  };
}

/**
 * Whether a click that changed nothing is a dead click. Form fields, labels and links that leave the
 * page react without changing the DOM, so they never are; other elements are when nothing happened.
 */
export function canBeDead(el: Element): boolean {
  if (/^(INPUT|TEXTAREA|SELECT|OPTION|LABEL|VIDEO|AUDIO)$/.test(el.tagName)) return false;
  if ((el as HTMLElement).isContentEditable) return false;
  const href = el.closest('a[href]')?.getAttribute('href');
  return !href || href.startsWith('#') || href.startsWith('javascript:');
}
