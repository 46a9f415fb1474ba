import { createDataFrame, FieldType } from '@grafana/data';
import { timelineEvents } from './events';

it('merges events frames of several kinds on one axis, with durations and trace ids', () => {
  const views = createDataFrame({
    fields: [
      { name: 'time', type: FieldType.time, values: [1000] },
      { name: 'kind', type: FieldType.string, values: ['view'] },
      { name: 'path', type: FieldType.string, values: ['/cart'] },
      { name: 'duration', type: FieldType.number, values: [900] },
    ],
  });
  const resources = createDataFrame({
    fields: [
      { name: 'time', type: FieldType.time, values: [1200, 1100] },
      { name: 'kind', type: FieldType.string, values: ['resource', 'resource'] },
      { name: 'type', type: FieldType.string, values: ['fetch', 'script'] },
      { name: 'url', type: FieldType.string, values: ['/api/pay', '/app.js'] },
      { name: 'status', type: FieldType.number, values: [500, 200] },
      { name: 'duration', type: FieldType.number, values: [300, null] },
      { name: 'trace', type: FieldType.string, values: ['a'.repeat(32), null] },
    ],
  });
  const { events, unreadable } = timelineEvents([resources, views]);
  expect(unreadable).toBe(0);
  expect(events.map((e) => [e.time, e.kind, e.text, e.duration, e.error])).toEqual([
    [1000, 'view', '/cart', 900, false],
    [1100, 'resource', 'script /app.js 200', 0, false],
    [1200, 'resource', 'fetch /api/pay 500', 300, true],
  ]);
  expect(events[2]!.trace).toBe('a'.repeat(32));
});

it("reads the session timeline's logs frame, and counts frames it cannot read", () => {
  const logs = createDataFrame({
    fields: [
      { name: 'timestamp', type: FieldType.time, values: [5, 7] },
      { name: 'body', type: FieldType.string, values: ['view / (120 ms)', 'TypeError: boom'] },
      { name: 'severity', type: FieldType.string, values: ['info', 'error'] },
      {
        name: 'labels',
        type: FieldType.other,
        values: [{ kind: 'view' }, { kind: 'error', trace: 'b'.repeat(32) }],
      },
    ],
  });
  const other = createDataFrame({ fields: [{ name: 'x', type: FieldType.number, values: [1] }] });
  const { events, unreadable } = timelineEvents([logs, other]);
  expect(unreadable).toBe(1);
  expect(events.map((e) => [e.kind, e.duration, e.error, e.trace])).toEqual([
    ['view', 120, false, undefined],
    ['error', 0, true, 'b'.repeat(32)],
  ]);
});
