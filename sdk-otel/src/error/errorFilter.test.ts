import { createErrorFilter, ERROR_DEDUPE_WINDOW_MS } from './errorFilter';
import type { CollectedError } from './errorEvent';

const err = (message: string, time: number, stack?: string): CollectedError => ({
  type: 'Error',
  message,
  time,
  stack,
  source: 'uncaught',
  handled: false,
});

describe('error filter', () => {
  it('drops ignored errors, extension errors and repeats within the dedupe window', () => {
    const keep = createErrorFilter(['ResizeObserver loop', /^Error: Script error/]);
    expect(keep(err('ResizeObserver loop limit exceeded', 0))).toBe(false);
    expect(keep(err('Script error.', 0))).toBe(false);
    expect(keep(err('x', 0, 'Error: x\n    at f (chrome-extension://abc/content.js:1:1)'))).toBe(false);
    expect(keep(err('boom', 0))).toBe(true);
    expect(keep(err('boom', 10))).toBe(false);
    expect(keep(err('boom', 20 + ERROR_DEDUPE_WINDOW_MS))).toBe(true);
    expect(keep(err('other', 30 + ERROR_DEDUPE_WINDOW_MS))).toBe(true);
  });
});
