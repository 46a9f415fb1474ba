import { parseSession, serializeSession } from './sessionStore';

describe('session cookie value', () => {
  it('round-trips, times to the millisecond', () => {
    const s = {
      id: 'a'.repeat(32),
      created: 1_700_000_000_000.7,
      last: 1_700_000_100_000.2,
      previousId: 'b'.repeat(32),
    };
    const v = serializeSession(s);
    expect(v).toMatch(/^[0-9a-z.]+$/);
    expect(parseSession(v)).toEqual({ ...s, created: 1_700_000_000_001, last: 1_700_000_100_000 });
  });

  it('refuses values that are not ours', () => {
    expect(parseSession(undefined)).toBeUndefined();
    expect(parseSession('abc.1.2')).toBeUndefined();
    expect(parseSession(`${'a'.repeat(32)}.x!.2`)).toBeUndefined();
  });
});
