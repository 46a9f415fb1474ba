import {
  MAX_REPLAY_PAGE_DECODED_BYTES,
  MAX_REPLAY_SEGMENTS_PER_PAGE,
  PRIVACY_LEVELS,
  REPLAY_ENCODINGS,
} from '@otel-rum/model';
import { error, json, ref } from '../api/openapi-parts';
import { DEFAULT_REPLAY_PAGE_SIZE } from './routes';

/* Session replay in the OpenAPI document (server/src/api/openapi.ts). */

export const REPLAY_SCHEMAS = {
  ReplaySegment: {
    type: 'object',
    required: ['appId', 'sequence', 'startMs', 'endMs', 'eventCount', 'hasFullSnapshot', 'events'],
    properties: {
      appId: { type: 'string' },
      viewId: { type: ['string', 'null'] },
      sequence: { type: 'integer', description: 'Order of the segment in its recording (one per page load)' },
      startMs: { type: 'number', description: 'First rrweb event, epoch ms' },
      endMs: { type: 'number', description: 'Last rrweb event, epoch ms' },
      eventCount: { type: 'integer' },
      hasFullSnapshot: {
        type: 'boolean',
        description: 'Holds an rrweb full snapshot: playback may start here',
      },
      encoding: { type: 'string', enum: [...REPLAY_ENCODINGS], description: 'How it was sent and stored' },
      privacy: {
        type: ['string', 'null'],
        enum: [...PRIVACY_LEVELS, null],
        description:
          'Privacy level the page recorded under (rum.replay.privacy): mask hides every text and input value, mask-user-input the input values, allow only passwords; null when the sender did not say',
      },
      events: {
        type: 'array',
        items: { type: 'object' },
        description: 'The rrweb events, decoded (the server inflates gzip)',
      },
      error: {
        type: 'string',
        description: 'Why the stored recording could not be decoded (events is then empty)',
      },
    },
  },
  ReplayPage: {
    type: 'object',
    required: ['sessionId', 'segments', 'nextCursor'],
    properties: {
      sessionId: { type: 'string' },
      segments: { type: 'array', items: ref('ReplaySegment') },
      nextCursor: { type: ['string', 'null'] },
    },
  },
};

export const REPLAY_PATHS = {
  '/api/v1/sessions/{id}/replay': {
    get: {
      tags: ['query'],
      summary: `A session's replay: its segments in playback order with their rrweb events decoded; a page ends at limit segments or past ${MAX_REPLAY_PAGE_DECODED_BYTES} bytes of events (MAX_REPLAY_PAGE_DECODED_BYTES)`,
      parameters: [
        { name: 'id', in: 'path', required: true, schema: { type: 'string' }, description: 'Session id' },
        { name: 'app_id', in: 'query', schema: { type: 'string' }, description: 'Application id' },
        {
          name: 'limit',
          in: 'query',
          schema: {
            type: 'integer',
            minimum: 1,
            maximum: MAX_REPLAY_SEGMENTS_PER_PAGE,
            default: DEFAULT_REPLAY_PAGE_SIZE,
          },
          description: 'Segments in the page (MAX_REPLAY_SEGMENTS_PER_PAGE)',
        },
        {
          name: 'cursor',
          in: 'query',
          schema: { type: 'string' },
          description: 'nextCursor of the previous page',
        },
      ],
      responses: {
        '200': { description: 'OK', content: json(ref('ReplayPage')) },
        '400': error,
        '404': { ...error, description: 'The session has no replay' },
      },
    },
  },
};
