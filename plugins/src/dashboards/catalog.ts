/*
 * Who the bundled dashboards are: uid, title and the application types each is for. The app's
 * pages read this (without the dashboards themselves) to list the bundled dashboards of each
 * application beside the ones its admin linked; the dashboards take their uid and title from here.
 */
import { APP_TYPES, type AppType } from '@otel-rum/model';

/** The dashboard variable that holds the application: links open dashboards with `var-app=<app id>`. */
export const DASHBOARD_APP_VARIABLE = 'app';

export interface CatalogEntry {
  uid: string;
  title: string;
  /** The application types whose data the dashboard shows. */
  appTypes: readonly AppType[];
}

/** By the file each dashboard is written to. */
export const DASHBOARD_CATALOG = {
  'web-overview.json': { uid: 'otelrum-web-overview', title: 'otel-rum / Web / Overview', appTypes: ['web'] },
  'web-performance.json': {
    uid: 'otelrum-web-performance',
    title: 'otel-rum / Web / Performance',
    appTypes: ['web'],
  },
  'web-errors.json': { uid: 'otelrum-web-errors', title: 'otel-rum / Web / Errors', appTypes: ['web'] },
  'web-resources.json': {
    uid: 'otelrum-web-resources',
    title: 'otel-rum / Web / Resources',
    appTypes: ['web'],
  },
  'web-users.json': {
    uid: 'otelrum-web-users',
    title: 'otel-rum / Web / Users and environments',
    appTypes: ['web'],
  },
  'web-session.json': { uid: 'otelrum-web-session', title: 'otel-rum / Web / Session', appTypes: ['web'] },
  'mobile-overview.json': {
    uid: 'otelrum-mobile-overview',
    title: 'otel-rum / Mobile and desktop apps / Overview',
    appTypes: ['android', 'ios', 'macos', 'react-native', 'flutter', 'cpp'],
  },
  'miniprogram-overview.json': {
    uid: 'otelrum-miniprogram-overview',
    title: 'otel-rum / Mini programs / Overview',
    appTypes: ['miniapp', 'uniapp'],
  },
  // Series generated from any application's data.
  'generated-metrics.json': {
    uid: 'otelrum-generated-metrics',
    title: 'otel-rum / Generated metrics',
    appTypes: APP_TYPES,
  },
} satisfies Record<string, CatalogEntry>;

export type DashboardFile = keyof typeof DASHBOARD_CATALOG;

/** The uid and title of a bundled dashboard, for its definition. */
export function identity(file: DashboardFile): { uid: string; title: string } {
  const { uid, title } = DASHBOARD_CATALOG[file];
  return { uid, title };
}

/** The bundled dashboards for an application type, in catalog order. */
export function bundledFor(type: AppType): CatalogEntry[] {
  return Object.values(DASHBOARD_CATALOG as Record<string, CatalogEntry>).filter((d) =>
    d.appTypes.includes(type),
  );
}
