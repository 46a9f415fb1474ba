import {
  EventName,
  RUM_ACTION_DURATION,
  RUM_ACTION_FRUSTRATION,
  RUM_ACTION_ID,
  RUM_ACTION_NAME,
  RUM_ACTION_TARGET,
  RUM_ACTION_TYPE,
} from '@otel-rum/model';
import type { Attributes, RawEvent } from '../lifecycle/rumEvents';

export type Frustration = 'rage' | 'dead' | 'error';

export interface CollectedAction {
  id: string;
  type: 'click' | 'custom';
  name: string;
  target?: string;
  /** Epoch ms. */
  start: number;
  duration: number;
  frustration: Frustration[];
  attributes?: Attributes;
}

export function actionEvent(a: CollectedAction): RawEvent {
  return {
    name: EventName.ACTION,
    time: a.start,
    attributes: {
      ...a.attributes,
      [RUM_ACTION_ID]: a.id,
      [RUM_ACTION_TYPE]: a.type,
      [RUM_ACTION_NAME]: a.name,
      [RUM_ACTION_TARGET]: a.target,
      [RUM_ACTION_DURATION]: a.duration,
      [RUM_ACTION_FRUSTRATION]: a.frustration.length ? a.frustration : undefined,
    },
  };
}
