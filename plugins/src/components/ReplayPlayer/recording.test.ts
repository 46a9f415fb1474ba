import { currentIndex, timelineMarkers } from './recording';

describe('currentIndex', () => {
  const times = [100, 200, 200, 300];
  it('is the last item at or before the position', () => {
    expect(currentIndex(times, 99)).toBe(-1);
    expect(currentIndex(times, 100)).toBe(0);
    expect(currentIndex(times, 250)).toBe(2);
    expect(currentIndex(times, 300)).toBe(3);
    expect(currentIndex(times, 1e9)).toBe(3);
    expect(currentIndex([], 5)).toBe(-1);
  });
});

describe('timelineMarkers', () => {
  it('marks errors, actions and views (by path), nothing else', () => {
    const at = (s: number) => new Date(1_700_000_000_000 + s * 1000).toISOString();
    const items = [
      { kind: 'view', time: at(0), name: 'rum.view', label: null, path: '/cart' },
      { kind: 'resource', time: at(1), name: 'rum.resource', label: 'GET /api', path: '/api' },
      { kind: 'action', time: at(2), name: 'rum.action', label: null, path: '/cart' },
      { kind: 'error', time: at(3), name: 'exception', label: 'boom', path: '/cart' },
    ];
    expect(timelineMarkers(items)).toEqual([
      { time: 1_700_000_000_000, kind: 'view', label: '/cart' },
      { time: 1_700_000_002_000, kind: 'action', label: 'rum.action' },
      { time: 1_700_000_003_000, kind: 'error', label: 'boom' },
    ]);
  });
});
