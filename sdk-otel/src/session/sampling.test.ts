import { isSampled } from './sampling';

describe('session-consistent sampling', () => {
  it('decides from the session id, independently per salt', () => {
    expect(isSampled('00000000ffffffff', 1, 0)).toBe(true);
    expect(isSampled('00000000ffffffff', 99, 1)).toBe(false);
    expect(isSampled('ffffffff00000000', 50, 0)).toBe(false);
    expect(isSampled('anything', 100)).toBe(true);
    expect(isSampled('anything', 0)).toBe(false);
  });

  it('keeps about the asked share of random sessions', () => {
    let kept = 0;
    for (let i = 0; i < 4000; i++)
      if (
        isSampled(
          Math.floor(Math.random() * 2 ** 32)
            .toString(16)
            .padStart(8, '0'),
          25,
        )
      )
        kept++;
    expect(kept / 4000).toBeGreaterThan(0.2);
    expect(kept / 4000).toBeLessThan(0.3);
  });
});
