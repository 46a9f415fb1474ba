import { createRageDetector, RAGE_WINDOW_MS } from './frustration';

describe('rage clicks', () => {
  it('is the third click on one target within a second', () => {
    const rage = createRageDetector();
    expect(rage('#a', 0)).toBe(false);
    expect(rage('#a', 100)).toBe(false);
    expect(rage('#b', 150)).toBe(false);
    expect(rage('#a', 200)).toBe(true);
    expect(rage('#a', 250)).toBe(true);
    expect(rage('#a', 250 + RAGE_WINDOW_MS)).toBe(false);
  });
});
