/*
 * The app's root page: picks the page from the path under /a/otelrum-rum-app (shared/location.ts) and
 * gives every page the same client of the server (through the app's proxy route).
 */
import React, { useMemo } from 'react';
import type { AppRootProps } from '@grafana/data';
import { PluginPage } from '@grafana/runtime';
import { Alert, Tab, TabsBar } from '@grafana/ui';
import { AppApi } from '../../shared/appApi';
import { appUrl, routeOf, useAppLocation, type AppRoute } from '../../shared/location';
import type { AppJsonData } from '../../shared/settings';
import { ApplicationsPage } from '../../pages/Applications/ApplicationsPage';
import { ApplicationEditPage } from '../../pages/Applications/ApplicationEditPage';
import { ExplorerPage } from '../../pages/Explorer/ExplorerPage';
import { SessionPage } from '../../pages/Session/SessionPage';
import { IssuePage } from '../../pages/Issue/IssuePage';
import { JourneysPage } from '../../pages/Journeys/JourneysPage';
import { MetricsPage } from '../../pages/Metrics/MetricsPage';
import { UsagePage } from '../../pages/Usage/UsagePage';
import { locationService } from '@grafana/runtime';

const SECTIONS = [
  { id: 'applications', label: 'Applications', icon: 'apps' as const },
  { id: 'explorer', label: 'Explorer', icon: 'search' as const },
  { id: 'journeys', label: 'Journeys', icon: 'sitemap' as const },
  { id: 'metrics', label: 'Generated metrics', icon: 'graph-bar' as const },
  { id: 'usage', label: 'Usage', icon: 'calculator-alt' as const },
];

function sectionOf(route: AppRoute): string | undefined {
  if (route.page.startsWith('application')) return 'applications';
  if (route.page === 'journeys' || route.page === 'metrics' || route.page === 'usage') return route.page;
  return route.page === 'explorer' || route.page === 'session' || route.page === 'issue'
    ? 'explorer'
    : undefined;
}

export function App({ meta }: AppRootProps<AppJsonData>) {
  const { pathname, query } = useAppLocation();
  const route = routeOf(pathname);
  const serverUrl = meta.jsonData?.serverUrl;
  const api = useMemo(() => new AppApi(serverUrl), [serverUrl]);
  const section = sectionOf(route);
  return (
    <PluginPage>
      <TabsBar>
        {SECTIONS.map((s) => (
          <Tab
            key={s.id}
            label={s.label}
            icon={s.icon}
            active={section === s.id}
            onChangeTab={() => locationService.push(appUrl(s.id))}
          />
        ))}
      </TabsBar>
      <div style={{ paddingTop: 16 }} data-testid={`page-${route.page}`}>
        {!serverUrl && (
          <Alert severity="warning" title="The app is not connected to an otel-rum server yet">
            An administrator sets the server URL and an admin token on the app&apos;s configuration page
            (Administration → Plugins → otel-rum).
          </Alert>
        )}
        {route.page === 'applications' && <ApplicationsPage api={api} query={query} />}
        {route.page === 'application-new' && <ApplicationEditPage api={api} />}
        {route.page === 'application-edit' && <ApplicationEditPage api={api} appId={route.appId} />}
        {route.page === 'explorer' && <ExplorerPage api={api} query={query} />}
        {route.page === 'session' && <SessionPage api={api} sessionId={route.sessionId} query={query} />}
        {route.page === 'issue' && <IssuePage api={api} fingerprint={route.fingerprint} query={query} />}
        {route.page === 'journeys' && <JourneysPage api={api} query={query} />}
        {route.page === 'metrics' && <MetricsPage api={api} query={query} />}
        {route.page === 'usage' && <UsagePage api={api} query={query} jsonData={meta.jsonData ?? {}} />}
        {route.page === 'not-found' && (
          <Alert severity="error" title={`No page at ${route.path}`}>
            The app has Applications, Explorer, Journeys, Generated metrics, Usage, sessions/&lt;id&gt; and
            issues/&lt;fingerprint&gt;.
          </Alert>
        )}
      </div>
    </PluginPage>
  );
}
