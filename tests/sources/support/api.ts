import type { EventItem } from '../../../server/src/store/store';
import { getJson } from '../../support/server';

/** An event item as GET /api/v1/<kind> answers it. */
export type Item = EventItem;

/** Every event of one kind ('views', 'long-tasks'...) of an application (up to 1000). */
export async function listEvents(base: string, kind: string, appId: string): Promise<Item[]> {
  return (await getJson(base, `/api/v1/${kind}?app_id=${appId}&limit=1000`)).items;
}
