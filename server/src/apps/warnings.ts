import type { ChangeWarning } from '@otel-rum/model';
import type { Application } from './application';

export type { ChangeWarning } from '@otel-rum/model';

/** What changing an application's id leaves for the user to do. */
export function renameWarnings(app: Application, oldId: string): ChangeWarning[] {
  const linked = app.dashboards.map((d) => `"${d.title}"`).join(', ');
  return [
    {
      code: 'sdk_config',
      message:
        `Update appId from "${oldId}" to "${app.appId}" in the SDK configuration of every build and release of ` +
        `this application (GET /api/v1/apps/${app.appId}/snippet gives the new setup). Until then its data is ` +
        `refused with 403: "${oldId}" is no longer a registered application.`,
    },
    {
      code: 'monitors',
      message:
        `Alerts, monitors and generated-metric rules that filter on app "${oldId}" see no new data: ` +
        `point them at "${app.appId}".`,
    },
    {
      code: 'dashboards',
      message:
        `Dashboards that filter on app_id "${oldId}" show only the data kept under the old id: change the filter ` +
        `to "${app.appId}", or to both ids to keep the history in view.` +
        (linked ? ` Linked dashboards to check: ${linked}.` : ''),
    },
    {
      code: 'history',
      message:
        `Data received before the change stays under "${oldId}" until its retention ends; query it with ` +
        `app_id=${oldId}.`,
    },
  ];
}
