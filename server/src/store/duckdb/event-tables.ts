import type { EventKind } from '@otel-rum/model';

/**
 * Events are stored in one table per kind (migration 30), so that a query about one kind (the issue
 * list, an aggregate of web vitals, a facet of errors) reads only that kind's rows. The view `events`
 * is the union of them all, for what spans kinds (a session's timeline, an event by id).
 */
export function eventTable(kind: EventKind): string {
  return `events_${kind}`;
}

/** The union of every kind's table. */
export const ALL_EVENTS = 'events';
