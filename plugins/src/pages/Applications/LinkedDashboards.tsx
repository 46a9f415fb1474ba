/*
 * Dashboards linked to an application: a searchable single-select over the instance's dashboards
 * (Grafana's search API) to bind several, remove any, and open one with the app id as its `app_id`
 * variable. Saved with the application (its `dashboards` field).
 */
import React, { useState } from 'react';
import { getBackendSrv } from '@grafana/runtime';
import type { SelectableValue } from '@grafana/data';
import { Alert, AsyncSelect, IconButton, Stack } from '@grafana/ui';
import { MAX_LINKED_DASHBOARDS } from '@otel-rum/model';
import type { DashboardLink } from '../../shared/appApi';
import { DASHBOARD_APP_VARIABLE } from '../../dashboards/catalog';

/** Dashboards the search offers at once. */
export const DASHBOARD_SEARCH_LIMIT = 30;

interface SearchHit {
  uid: string;
  title: string;
  url: string;
  folderTitle?: string;
}

/** Where a linked dashboard opens, with the application as its `app` variable (the bundled ones' name). */
export function dashboardHref(link: DashboardLink, appId: string): string {
  const base = link.url ?? `/d/${link.uid}`;
  return `${base}${base.includes('?') ? '&' : '?'}var-${DASHBOARD_APP_VARIABLE}=${encodeURIComponent(appId)}`;
}

export async function searchDashboards(query: string): Promise<Array<SelectableValue<SearchHit>>> {
  const hits = await getBackendSrv().get<SearchHit[]>('/api/search', {
    query,
    type: 'dash-db',
    limit: DASHBOARD_SEARCH_LIMIT,
  });
  return hits.map((h) => ({
    label: h.title,
    description: h.folderTitle,
    value: h,
  }));
}

export function LinkedDashboards({
  links,
  appId,
  disabled,
  onChange,
}: {
  links: DashboardLink[];
  appId: string;
  disabled?: boolean;
  onChange: (links: DashboardLink[]) => void;
}) {
  const [error, setError] = useState<string | null>(null);
  const full = links.length >= MAX_LINKED_DASHBOARDS;
  return (
    <div data-testid="linked-dashboards">
      {links.map((l) => (
        <Stack key={l.uid ?? l.url} alignItems="center" gap={1}>
          <a href={dashboardHref(l, appId)} data-testid="linked-dashboard">
            {l.title}
          </a>
          {!disabled && (
            <IconButton
              name="times"
              tooltip={`Unlink ${l.title}`}
              onClick={() => onChange(links.filter((x) => x !== l))}
            />
          )}
        </Stack>
      ))}
      {!disabled && (
        <div style={{ marginTop: 8, maxWidth: 400 }}>
          <AsyncSelect
            inputId="app-dashboard-search"
            aria-label="Link a dashboard"
            placeholder={full ? `At most ${MAX_LINKED_DASHBOARDS} dashboards` : 'Search dashboards to link'}
            disabled={full}
            defaultOptions
            cacheOptions={false}
            loadOptions={(q: string) =>
              searchDashboards(q).catch((e: unknown) => {
                setError(`Grafana's dashboard search failed: ${e instanceof Error ? e.message : String(e)}`);
                return [];
              })
            }
            value={null}
            onChange={(v: SelectableValue<SearchHit>) => {
              const hit = v?.value;
              if (hit && !links.some((l) => l.uid === hit.uid))
                onChange([...links, { title: hit.title, uid: hit.uid }]);
            }}
          />
          {error && <Alert severity="error" title={error} onRemove={() => setError(null)} />}
        </div>
      )}
    </div>
  );
}
