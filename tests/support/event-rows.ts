/*
 * Rows as ingest hands them to the store, for tests that write to a store directly: every field the
 * test does not name is empty (null), from application `shop`, session `s1`, source `test`.
 */
import type { EventRow } from '../../server/src/store/rows';

export function eventRow(fields: Pick<EventRow, 'kind' | 'timeUs'> & Partial<EventRow>): EventRow {
  return {
    appId: 'shop',
    sessionId: 's1',
    viewId: null,
    traceId: null,
    spanId: null,
    name: fields.kind,
    label: null,
    url: null,
    path: null,
    durationMs: null,
    value: null,
    status: null,
    serviceName: null,
    serviceVersion: null,
    environment: null,
    userId: null,
    userAgent: null,
    source: 'test',
    attributes: {},
    ...fields,
  };
}
