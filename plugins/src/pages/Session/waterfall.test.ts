import { waterfalls } from './SessionPage';
import type { EventItem } from '../../datasource/frames/types';

const event = (
  kind: string,
  time: number,
  viewId: string,
  durationMs: number | null,
  id = `${kind}${time}`,
) => ({ id, kind, time: new Date(time).toISOString(), viewId, durationMs, name: kind }) as EventItem;

describe('waterfalls', () => {
  it('draws one waterfall per view id on the view time axis, even when the view was recorded twice', () => {
    const t = Date.parse('2026-12-04T10:00:00Z');
    const w = waterfalls([
      event('view', t, 'v1', null),
      event('resource', t + 100, 'v1', 200),
      event('view', t + 50, 'v1', 1000, 'final'),
      event('error', t + 500, 'v1', null),
      event('view', t + 1000, 'v2', 10),
    ]);
    expect(w.map((x) => [x.view.id, x.spanMs, x.bars.length])).toEqual([
      ['final', 1000, 2],
      ['view' + (t + 1000), 10, 0],
    ]);
    expect(w[0]!.bars.map((b) => [b.event.kind, b.left, b.width])).toEqual([
      ['resource', 0.1, 0.2],
      ['error', 0.5, 0.004],
    ]);
  });
});
