import { resolveConfig } from '../config/config';
import { isSampled } from '../session/sampling';
import { replaySampled, SAMPLE_REPLAY } from './startReplay';

const randomId = () => Array.from({ length: 32 }, () => Math.floor(Math.random() * 16).toString(16)).join('');
const config = (replaySampleRate?: number) => resolveConfig({ appId: 'shop', replaySampleRate });
const all = () => true;

describe('replay sampling', () => {
  it('records no session by default (replaySampleRate 0)', () => {
    for (let i = 0; i < 200; i++) expect(replaySampled(randomId(), config(), all)).toBe(false);
  });

  it('records every session at 100, but never one whose events are sampled out', () => {
    const id = randomId();
    expect(replaySampled(id, config(100), all)).toBe(true);
    expect(replaySampled(id, config(100), () => false)).toBe(false);
  });

  it('decides from the session id: the same id always gets the same answer, about the asked share overall', () => {
    let kept = 0;
    for (let i = 0; i < 4000; i++) {
      const id = randomId();
      const first = replaySampled(id, config(30), all);
      expect(replaySampled(id, config(30), all)).toBe(first);
      if (first) kept++;
    }
    expect(kept / 4000).toBeGreaterThan(0.25);
    expect(kept / 4000).toBeLessThan(0.35);
  });

  it('is a decision of its own, independent of the event and trace sampling', () => {
    // Sampled in for events and traces at 50%, out for replay at 50%: the salts read other digits.
    const id = '00000000' + '00000000' + 'ffffffff' + '00000000';
    expect(isSampled(id, 50, 0) && isSampled(id, 50, 1)).toBe(true);
    expect(isSampled(id, 50, SAMPLE_REPLAY)).toBe(false);
    expect(replaySampled(id, config(50), all)).toBe(false);
  });

  it('refuses a replaySampleRate outside 0..100, naming the option', () => {
    expect(() => config(101)).toThrow(/replaySampleRate/);
    expect(() => resolveConfig({ appId: 'shop', replayBlockSelector: '' })).toThrow(/replayBlockSelector/);
  });
});
