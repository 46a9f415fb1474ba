import { toUnixNano } from './clock';

describe('toUnixNano', () => {
  const base = 1_700_000_000_123;
  it('writes epoch milliseconds as exact nanosecond strings beyond 2^53, to the microsecond', () => {
    expect(toUnixNano(base)).toBe('1700000000123000000');
    expect(toUnixNano(base + 0.5)).toBe('1700000000123500000');
    expect(toUnixNano(base + 0.456)).toBe('1700000000123456000');
    expect(toUnixNano(base + 1 - 1e-4)).toBe('1700000000124000000');
    expect(toUnixNano(0.25)).toBe('250000');
  });
});
