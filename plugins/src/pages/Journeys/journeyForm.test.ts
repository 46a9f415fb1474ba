import type { JourneyAnalysis } from '../../shared/appApi';
import { draftOf, draftProblems, emptyDraft, funnelRows, inputOf } from './journeyForm';

const step = (index: number, sessions: number, rest: Partial<JourneyAnalysis['steps'][number]>) => ({
  index,
  step:
    index === 2
      ? ({ type: 'action', name: 'Add to cart' } as const)
      : ({ type: 'view', path: `/p${index}` } as const),
  sessions,
  conversionFromPrevious: null,
  conversionFromFirst: null,
  dropOff: null,
  dropOffRate: null,
  medianMsFromPrevious: null,
  errors: { count: 0, sessions: 0, top: [] },
  slowResources: { count: 0, sessions: 0, top: [] },
  ...rest,
});

describe('journey editor state', () => {
  it('names what keeps a draft from being saved', () => {
    expect(draftProblems(emptyDraft())).toEqual({
      name: 'A journey needs a name',
      'step.0': 'Give the URL path glob, e.g. /products/*',
    });
    expect(draftProblems({ name: 'Buy', appId: '', steps: [] })).toEqual({ steps: 'Add at least one step' });
    const many = {
      name: 'x',
      appId: '',
      steps: Array.from({ length: 21 }, () => ({ type: 'view' as const, pattern: '/' })),
    };
    expect(draftProblems(many).steps).toBe('At most 20 steps (this one has 21)');
    expect(draftProblems({ name: 'Buy', appId: '', steps: [{ type: 'action', pattern: ' ' }] })).toEqual({
      'step.0': 'Give the action name glob, e.g. Add to*',
    });
  });

  it('turns a journey into a draft and back', () => {
    const j = {
      id: 'j1',
      name: 'Buy',
      appId: null,
      steps: [
        { type: 'view' as const, path: '/products/*' },
        { type: 'action' as const, name: 'Add to cart' },
      ],
      createdAt: '',
      updatedAt: '',
    };
    expect(draftOf(j).steps).toEqual([
      { type: 'view', pattern: '/products/*' },
      { type: 'action', pattern: 'Add to cart' },
    ]);
    expect(inputOf({ ...draftOf(j), name: ' Buy ' })).toEqual({ name: 'Buy', appId: null, steps: j.steps });
    expect(inputOf({ ...draftOf(j), appId: 'shop' }).appId).toBe('shop');
  });
});

describe('funnelRows', () => {
  it("reads the data source's funnel frame: labels, shares and formatted rates", () => {
    const analysis = {
      journey: { id: 'j1', name: 'Buy', appId: null, steps: [], createdAt: '', updatedAt: '' },
      from: '',
      to: '',
      appId: null,
      slowResourceMs: 1000,
      steps: [
        step(1, 4, { conversionFromPrevious: 1, conversionFromFirst: 1, dropOff: 1, dropOffRate: 0.25 }),
        step(2, 3, {
          conversionFromPrevious: 0.75,
          conversionFromFirst: 0.75,
          dropOff: 2,
          dropOffRate: 2 / 3,
          medianMsFromPrevious: 1500,
          errors: { count: 2, sessions: 1, top: [] },
        }),
        step(3, 1, { conversionFromPrevious: 1 / 3, conversionFromFirst: 0.25 }),
      ],
      completed: { items: [], nextCursor: null },
      dropped: null,
    } as JourneyAnalysis;
    const rows = funnelRows(analysis);
    expect(rows.map((r) => r.label)).toEqual(['1. view /p1', '2. action Add to cart', '3. view /p3']);
    expect(rows.map((r) => r.share)).toEqual([1, 0.75, 0.25]);
    expect(rows[1]!.text).toEqual({
      conversion: '75.0%',
      step_conversion: '75.0%',
      drop_off: '2',
      drop_off_rate: '66.7%',
      median_time: '1.5 s',
      errors: '2',
    });
    expect(rows[2]!.dropOff).toBeNull();
    expect(rows[2]!.text.drop_off).toBe('–');
  });
});
