import { getJson } from '../../support/server';

/** The fields of an event item (GET /api/v1/<kind>) that the source tests check. */
export interface Item {
  kind: string;
  time: string;
  sessionId: string;
  viewId: string | null;
  traceId: string | null;
  spanId: string | null;
  name: string;
  label: string | null;
  url: string | null;
  path: string | null;
  durationMs: number | null;
  value: number | null;
  status: number | null;
  serviceName: string | null;
  source: string;
  attributes: Record<string, unknown>;
}

/** Every event of one kind ('views', 'long-tasks'...) of an application (up to 1000). */
export async function listEvents(base: string, kind: string, appId: string): Promise<Item[]> {
  return (await getJson(base, `/api/v1/${kind}?app_id=${appId}&limit=1000`)).items;
}
