import { longestScript } from '../longTask/longTaskCollection';
import { createInpAccumulator } from './interactions';
import { createClsAccumulator } from './layoutShifts';
import { rating } from './rating';

describe('web vitals arithmetic', () => {
  it('rates against the web.dev thresholds', () => {
    expect(rating('lcp', 2500)).toBe('good');
    expect(rating('lcp', 2501)).toBe('needs-improvement');
    expect(rating('cls', 0.3)).toBe('poor');
    expect(rating('inp', 150)).toBe('good');
  });

  it('computes CLS as the largest session window, attributed to its largest shift', () => {
    const cls = createClsAccumulator();
    cls.add({ startTime: 0, value: 0.05, target: '#a' });
    cls.add({ startTime: 500, value: 0.1, target: '#b' }); // same window: 0.15
    cls.add({ startTime: 3000, value: 0.12, target: '#c' }); // gap > 1 s: new window 0.12
    expect(cls.value()).toBeCloseTo(0.15);
    expect(cls.target()).toBe('#b');
    cls.add({ startTime: 3500, value: 0.1, target: '#d' }); // 0.22 now the largest
    expect(cls.value()).toBeCloseTo(0.22);
    expect(cls.target()).toBe('#c');
    // A window never spans more than 5 s.
    const capped = createClsAccumulator();
    for (let t = 0; t <= 8000; t += 500) capped.add({ startTime: t, value: 0.01 });
    expect(capped.value()).toBeCloseTo(0.1);
  });

  it('computes INP as the worst interaction, skipping one per 50 interactions', () => {
    const inp = createInpAccumulator();
    expect(inp.worst()).toBeUndefined();
    inp.add({ id: 1, duration: 80, type: 'pointerdown' });
    inp.add({ id: 1, duration: 120, type: 'click', target: '#x' }); // same interaction, longer entry
    inp.add({ id: 2, duration: 40, type: 'keydown' });
    expect(inp.worst()).toMatchObject({ duration: 120, target: '#x', type: 'click' });
    for (let i = 3; i < 103; i++) inp.add({ id: i, duration: i === 50 ? 900 : 60, type: 'click' });
    // 102 interactions: the two worst (900 and 120) are ignored as outliers.
    expect(inp.worst()!.duration).toBe(60);
  });

  it('names the script that ran longest in a long animation frame', () => {
    expect(
      longestScript([
        {
          duration: 10,
          invoker: 'TimerHandler:setTimeout',
          sourceURL: 'https://a.com/a.js',
          sourceCharPosition: 5,
        },
        {
          duration: 90,
          invoker: 'BUTTON#b.onclick',
          sourceFunctionName: 'slow',
          sourceURL: 'https://a.com/b.js',
          sourceCharPosition: 42,
        },
      ]),
    ).toBe('BUTTON#b.onclick (slow @ https://a.com/b.js:42)');
    expect(longestScript([])).toBeUndefined();
  });
});
