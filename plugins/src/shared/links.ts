/** Where the app's pages live in Grafana, for links from the data source's frames and the panels. */
export const APP_PLUGIN_ID = 'otelrum-rum-app';
export const DATASOURCE_PLUGIN_ID = 'otelrum-rum-datasource';
export const APP_ROOT = `/a/${APP_PLUGIN_ID}`;

/** The app's session page of one session (the id may be a data link template such as `${__value.raw}`). */
export function sessionPageUrl(sessionId: string, appId?: string): string {
  const q = appId ? `?app_id=${encodeURIComponent(appId)}` : '';
  return `${APP_ROOT}/sessions/${sessionId}${q}`;
}

/** The app's issue page of one error group. */
export function issuePageUrl(fingerprint: string, appId: string): string {
  return `${APP_ROOT}/issues/${fingerprint}?app_id=${encodeURIComponent(appId)}`;
}
