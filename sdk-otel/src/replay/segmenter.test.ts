import {
  MAX_REPLAY_SEGMENT_EVENTS,
  REPLAY_SEGMENT_FLUSH_CHARS,
  REPLAY_SEGMENT_MAX_DURATION_MS,
} from '@otel-rum/model';
import { gunzipSync } from 'node:zlib';
import { createSegmenter, FULL_SNAPSHOT, type CutReason, type Segment } from './segmenter';

const INCREMENTAL = 3;
const json = (s: Segment) => gunzipSync(s.body).toString('utf8');
const META = 4;

function setup() {
  const out: [Segment, CutReason][] = [];
  let view = 'v1';
  let live = true;
  const segmenter = createSegmenter({
    context: () => (live ? { sessionId: 's1', viewId: view, url: 'https://shop.test/' } : undefined),
    onSegment: (s, reason) => out.push([s, reason]),
  });
  return {
    segmenter,
    out,
    setView: (v: string) => (view = v),
    setLive: (l: boolean) => (live = l),
  };
}

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

describe('replay segmenter', () => {
  it('keeps the full snapshot in the segment of the events that follow it, and says so', () => {
    const { segmenter, out } = setup();
    segmenter.add({ type: META, timestamp: 1000 });
    segmenter.add({ type: FULL_SNAPSHOT, timestamp: 1001 });
    segmenter.add({ type: INCREMENTAL, timestamp: 1002 });
    expect(out).toHaveLength(0);
    segmenter.cut('flush');
    expect(out).toHaveLength(1);
    const [s, reason] = out[0]!;
    expect(reason).toBe('flush');
    expect(s).toMatchObject({
      sequence: 0,
      sessionId: 's1',
      viewId: 'v1',
      eventCount: 3,
      start: 1000,
      end: 1002,
      hasFullSnapshot: true,
    });
    expect(JSON.parse(json(s))).toEqual([
      { type: META, timestamp: 1000 },
      { type: FULL_SNAPSHOT, timestamp: 1001 },
      { type: INCREMENTAL, timestamp: 1002 },
    ]);
    // The next segment holds no snapshot.
    segmenter.add({ type: INCREMENTAL, timestamp: 1003 });
    segmenter.cut('hide');
    expect(out[1]![0]).toMatchObject({ sequence: 1, eventCount: 1, hasFullSnapshot: false });
  });

  it(`closes a segment REPLAY_SEGMENT_MAX_DURATION_MS (${REPLAY_SEGMENT_MAX_DURATION_MS} ms) after its first event`, () => {
    const { segmenter, out } = setup();
    segmenter.add({ type: INCREMENTAL, timestamp: 1 });
    jest.advanceTimersByTime(REPLAY_SEGMENT_MAX_DURATION_MS - 1);
    segmenter.add({ type: INCREMENTAL, timestamp: 2 });
    expect(out).toHaveLength(0);
    jest.advanceTimersByTime(1);
    expect(out.map(([s, r]) => [s.eventCount, s.hasFullSnapshot, r])).toEqual([[2, false, 'time']]);
    // Nothing is open: no empty segment follows.
    jest.advanceTimersByTime(REPLAY_SEGMENT_MAX_DURATION_MS * 3);
    expect(out).toHaveLength(1);
  });

  it('closes a segment at MAX_REPLAY_SEGMENT_EVENTS events', () => {
    const { segmenter, out } = setup();
    for (let i = 0; i < MAX_REPLAY_SEGMENT_EVENTS + 1; i++)
      segmenter.add({ type: INCREMENTAL, timestamp: i });
    expect(out.map(([s, r]) => [s.eventCount, r])).toEqual([[MAX_REPLAY_SEGMENT_EVENTS, 'count']]);
  });

  it('closes a segment once its JSON reaches REPLAY_SEGMENT_FLUSH_CHARS', () => {
    const { segmenter, out } = setup();
    const big = 'x'.repeat(REPLAY_SEGMENT_FLUSH_CHARS / 4);
    for (let i = 0; i < 5; i++) segmenter.add({ type: INCREMENTAL, timestamp: i, data: big } as never);
    expect(out).toHaveLength(1);
    expect(out[0]![1]).toBe('size');
    expect(out[0]![0].eventCount).toBe(4);
    expect(json(out[0]![0]).length).toBeGreaterThanOrEqual(REPLAY_SEGMENT_FLUSH_CHARS);
    // Compressed as it grew: repetitive JSON shrinks to a small fraction.
    expect(out[0]![0].body.length).toBeLessThan(REPLAY_SEGMENT_FLUSH_CHARS / 50);
  });

  it('numbers segments in order and takes the view of their first event', () => {
    const { segmenter, out, setView } = setup();
    segmenter.add({ type: INCREMENTAL, timestamp: 10 });
    setView('v2');
    segmenter.add({ type: INCREMENTAL, timestamp: 11 });
    segmenter.cut('view');
    segmenter.add({ type: INCREMENTAL, timestamp: 12 });
    segmenter.cut('hide');
    segmenter.cut('stop');
    expect(out.map(([s, r]) => [s.sequence, s.viewId, s.start, s.end, r])).toEqual([
      [0, 'v1', 10, 11, 'view'],
      [1, 'v2', 12, 12, 'hide'],
    ]);
  });

  it('closes the open segment when its session expires or changes', () => {
    const out: [Segment, CutReason][] = [];
    let session: string | undefined = 's1';
    const segmenter = createSegmenter({
      context: () => (session ? { sessionId: session } : undefined),
      onSegment: (s, reason) => out.push([s, reason]),
    });
    segmenter.add({ type: INCREMENTAL, timestamp: 1 });
    session = undefined;
    expect(segmenter.add({ type: INCREMENTAL, timestamp: 2 })).toBe(false);
    session = 's2';
    segmenter.add({ type: INCREMENTAL, timestamp: 3 });
    session = 's3';
    segmenter.add({ type: INCREMENTAL, timestamp: 4 });
    segmenter.cut('stop');
    expect(out.map(([s, r]) => [s.sessionId, s.start, s.eventCount, r])).toEqual([
      ['s1', 1, 1, 'session'],
      ['s2', 3, 1, 'session'],
      ['s3', 4, 1, 'stop'],
    ]);
  });

  it('gzips each segment as one valid stream, whatever the number of events', () => {
    const { segmenter, out } = setup();
    const events = Array.from({ length: 300 }, (_, i) => ({
      type: INCREMENTAL,
      timestamp: i,
      data: { source: 0, texts: [{ id: i, value: `row ${i} ✓` }] },
    }));
    for (const e of events) segmenter.add(e);
    segmenter.cut('hide');
    segmenter.add({ type: INCREMENTAL, timestamp: 999 });
    segmenter.cut('stop');
    expect(out.map(([s]) => JSON.parse(json(s)))).toEqual([events, [{ type: INCREMENTAL, timestamp: 999 }]]);
  });

  it('drops events that belong to no live session, and says so', () => {
    const { segmenter, out, setLive } = setup();
    setLive(false);
    expect(segmenter.add({ type: INCREMENTAL, timestamp: 1 })).toBe(false);
    segmenter.cut('stop');
    expect(out).toEqual([]);
    setLive(true);
    expect(segmenter.add({ type: INCREMENTAL, timestamp: 2 })).toBe(true);
    segmenter.cut('stop');
    expect(out.map(([s]) => [s.sequence, s.start])).toEqual([[0, 2]]);
  });
});
