import {
  EXCEPTION_STACKTRACE,
  MAX_ATTRIBUTE_KEY_LENGTH,
  MAX_ATTRIBUTE_VALUE_LENGTH,
  MAX_ATTRIBUTES_PER_EVENT,
  MAX_STACKTRACE_LENGTH,
} from '@otel-rum/model';
import type { Attributes } from '../lifecycle/rumEvents';
import { enforceLimits } from './limits';

describe('attribute limits', () => {
  it('cuts long values, drops long keys and attributes past the count limit', () => {
    const attrs: Attributes = {
      long: 'x'.repeat(MAX_ATTRIBUTE_VALUE_LENGTH + 10),
      [EXCEPTION_STACKTRACE]: 's'.repeat(MAX_STACKTRACE_LENGTH + 10),
      ['k'.repeat(MAX_ATTRIBUTE_KEY_LENGTH + 1)]: 'v',
      list: ['y'.repeat(MAX_ATTRIBUTE_VALUE_LENGTH + 1)],
      gone: undefined,
    };
    for (let i = 0; i < MAX_ATTRIBUTES_PER_EVENT; i++) attrs[`a${i}`] = i;
    const limited = enforceLimits(attrs);
    expect((limited.long as string).length).toBe(MAX_ATTRIBUTE_VALUE_LENGTH);
    expect((limited[EXCEPTION_STACKTRACE] as string).length).toBe(MAX_STACKTRACE_LENGTH);
    expect((limited.list as string[])[0]!.length).toBe(MAX_ATTRIBUTE_VALUE_LENGTH);
    expect('gone' in limited).toBe(false);
    expect(Object.keys(limited)).toHaveLength(MAX_ATTRIBUTES_PER_EVENT);
    // The long key and the last three counted ones are gone; the first ones are kept as they were.
    expect(limited['k'.repeat(MAX_ATTRIBUTE_KEY_LENGTH + 1)]).toBeUndefined();
    expect(limited.a0).toBe(0);
    expect(limited[`a${MAX_ATTRIBUTES_PER_EVENT - 1}`]).toBeUndefined();
    // The event's own object is left as it was.
    expect((attrs.long as string).length).toBe(MAX_ATTRIBUTE_VALUE_LENGTH + 10);
  });
});
