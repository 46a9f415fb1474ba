import * as A from './attributes';
import { ATTRIBUTES } from './registry';

describe('attribute registry', () => {
  const exported = Object.values(A).filter((v): v is string => typeof v === 'string');

  it('describes every exported attribute name exactly once', () => {
    const described = ATTRIBUTES.map((a) => a.name);
    expect(new Set(described).size).toBe(described.length);
    expect([...described].sort()).toEqual([...exported].sort());
  });

  it('keeps our own names under rum.* and never claims an OpenTelemetry name as ours', () => {
    for (const a of ATTRIBUTES) {
      expect(a.name.startsWith('rum.')).toBe(a.origin === 'rum');
    }
  });
});
