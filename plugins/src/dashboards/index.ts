/** The bundled dashboards, by the file each is written to (the app's plugin.json includes each). */
import type { Dashboard } from '@grafana/schema';
import { errors, overview, performance, resources, session, usersAndEnvironments } from './web';
import { generatedMetrics } from './metrics';
import { miniProgramOverview, mobileOverview } from './apps';
import type { DashboardFile } from './catalog';

export interface BundledDashboard {
  file: DashboardFile;
  /** The RUM dashboards have data as soon as an SDK sent some; the metrics one needs Prometheus. */
  source: 'rum' | 'prometheus';
  dashboard: Dashboard;
}

export const BUNDLED_DASHBOARDS: BundledDashboard[] = [
  { file: 'web-overview.json', source: 'rum', dashboard: overview },
  { file: 'web-performance.json', source: 'rum', dashboard: performance },
  { file: 'web-errors.json', source: 'rum', dashboard: errors },
  { file: 'web-resources.json', source: 'rum', dashboard: resources },
  { file: 'web-users.json', source: 'rum', dashboard: usersAndEnvironments },
  { file: 'web-session.json', source: 'rum', dashboard: session },
  { file: 'mobile-overview.json', source: 'rum', dashboard: mobileOverview },
  { file: 'miniprogram-overview.json', source: 'rum', dashboard: miniProgramOverview },
  { file: 'generated-metrics.json', source: 'prometheus', dashboard: generatedMetrics },
];
