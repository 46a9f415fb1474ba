import { MAX_BATCH_BYTES, MAX_BATCH_EVENTS, MAX_EVENT_BYTES } from '@otel-rum/model';
import { MAX_REPLAY_RECORD_BYTES } from './transport';
import { createBatch, utf8Length, type Encoded } from './batch';

describe('batch', () => {
  const collect = (flushIntervalMs = 60_000) => {
    const sent: { records: Encoded[]; final: boolean }[] = [];
    const dropped: number[] = [];
    const encoded: string[] = [];
    const batch = createBatch({
      flushIntervalMs,
      encode: (r: string) => (encoded.push(r), r),
      send: (records, final) => sent.push({ records, final }),
      onDrop: (b) => dropped.push(b),
    });
    return { batch, sent, dropped, encoded };
  };

  it('encodes records when it hands them over, not when they are added', () => {
    const { batch, sent, encoded } = collect();
    batch.add('{"a":1}');
    batch.add('{"b":2}');
    expect(encoded).toEqual([]);
    batch.flush();
    expect(encoded).toEqual(['{"a":1}', '{"b":2}']);
    expect(sent).toEqual([{ records: ['{"a":1}', '{"b":2}'], final: false }]);
  });

  it('hands over a batch when it reaches MAX_BATCH_EVENTS', () => {
    const { batch, sent } = collect();
    for (let i = 0; i < MAX_BATCH_EVENTS + 1; i++) batch.add(`{"i":${i}}`);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.records).toHaveLength(MAX_BATCH_EVENTS);
    batch.flush(true);
    expect(sent[1]).toEqual({ records: [`{"i":${MAX_BATCH_EVENTS}}`], final: true });
    batch.stop();
  });

  it('never lets a request pass MAX_BATCH_BYTES and drops single events over MAX_EVENT_BYTES', () => {
    const { batch, sent, dropped } = collect();
    const big = 'x'.repeat(20_000);
    for (let i = 0; i < 5; i++) batch.add(big);
    batch.add('y'.repeat(MAX_EVENT_BYTES));
    batch.flush(true);
    expect(sent.length).toBeGreaterThan(1);
    for (const s of sent) {
      expect(s.records.reduce((n, r) => n + r.length + 3, 0)).toBeLessThanOrEqual(MAX_BATCH_BYTES);
      expect(s.final).toBe(true);
    }
    expect(sent.flatMap((s) => s.records)).toEqual(Array(5).fill(big));
    expect(dropped).toEqual([MAX_EVENT_BYTES + 3]);
  });

  it('takes a record up to its own limit (replay segments), alone in its request when it is larger than a batch', () => {
    const { batch, sent, dropped } = collect();
    batch.add('{}');
    const segment = 'z'.repeat(MAX_BATCH_BYTES * 2);
    batch.add(segment, MAX_REPLAY_RECORD_BYTES);
    batch.add('z'.repeat(MAX_REPLAY_RECORD_BYTES), MAX_REPLAY_RECORD_BYTES);
    batch.flush();
    expect(sent.map((s) => s.records.length)).toEqual([1, 1]);
    expect(sent[1]!.records[0]).toBe(segment);
    expect(dropped).toHaveLength(1);
  });

  it('sends nothing for an empty batch, and nothing after stop', () => {
    const { batch, sent } = collect();
    batch.flush(true);
    batch.add('{}');
    batch.stop();
    batch.flush();
    expect(sent).toEqual([]);
  });

  it('hands over by time', async () => {
    const { batch, sent } = collect(20);
    batch.add('{}');
    await new Promise((r) => setTimeout(r, 60));
    expect(sent).toHaveLength(1);
  });

  it('counts UTF-8 bytes', () => {
    expect(utf8Length('abc')).toBe(3);
    expect(utf8Length('é')).toBe(2);
    expect(utf8Length('€')).toBe(3);
    expect(utf8Length('😀')).toBe(4);
  });
});
