/*
 * The explorer: one application's sessions, views, errors (issues), resources, actions, long tasks
 * and web vitals over the time range, narrowed by a filter in the server's filter language that the
 * facet sidebar and the table's cells add to. Every part of the view is in the URL.
 */
import React, { useCallback } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2, UrlQueryMap } from '@grafana/data';
import { locationService } from '@grafana/runtime';
import {
  Alert,
  EmptyState,
  LinkButton,
  LoadingPlaceholder,
  Select,
  Tab,
  TabsBar,
  useStyles2,
} from '@grafana/ui';
import { FILTER_FIELDS } from '@otel-rum/model';
import type { AppApi } from '../../shared/appApi';
import { appUrl } from '../../shared/location';
import { rangeFromQuery, TimeControls } from '../../shared/timeRange';
import { useAsync } from '../../shared/useAsync';
import { FacetSidebar } from './FacetSidebar';
import { FrameTable } from './FrameTable';
import { loadFacets, loadFacetValues, loadTab, stateOf, TABS, withCondition } from './explorerState';
import { FilterBar } from '../../components/FilterBar/FilterBar';
import { exploreUrl } from '../../shared/explore';

const FIELD_HINT = Object.keys(FILTER_FIELDS).join(', ');

export function ExplorerPage({ api, query }: { api: AppApi; query: UrlQueryMap }) {
  const styles = useStyles2(getStyles);
  const state = stateOf(query);
  const range = rangeFromQuery(query);
  const fromMs = range.from.valueOf();
  const toMs = range.to.valueOf();
  const apps = useAsync(() => api.listApplications(), [api]);

  // With no app in the URL, the first registered one.
  const appId = state.app || apps.value?.[0]?.appId || '';
  const effective = { ...state, app: appId };
  const key = [api, appId, state.tab.id, state.filter, state.sort, query.from, query.to];
  const rows = useAsync(
    () => (appId ? loadTab(api, effective, fromMs, toMs) : Promise.resolve(undefined)),
    key,
  );
  const facets = useAsync(
    () => (appId ? loadFacets(api, effective, fromMs, toMs) : Promise.resolve([])),
    key,
  );
  const set = (patch: Record<string, string | undefined>) => locationService.partial(patch);
  const addCondition = (field: string, value: unknown, negate = false) =>
    set({ filter: withCondition(state.filter, field, value, negate) });
  const visible = state.columns ?? state.tab.columns;
  const loadValues = useCallback(
    (field: string) =>
      appId ? loadFacetValues(api, { ...state, app: appId }, field, fromMs, toMs) : Promise.resolve([]),
    // Values are asked once per field and view; the range moving by seconds does not matter.
    [api, appId, state.tab.id],
  );
  const explore = appId
    ? exploreUrl(
        { ...state.tab.query, appId, filter: state.filter, sort: state.sort || undefined },
        String(range.raw.from),
        String(range.raw.to),
      )
    : undefined;

  if (apps.value && apps.value.length === 0)
    return (
      <EmptyState variant="call-to-action" message="No application yet">
        The explorer shows what an application&apos;s users lived through. Register one first.
        <div style={{ marginTop: 16 }}>
          <LinkButton href={appUrl('applications/new')} icon="plus">
            New application
          </LinkButton>
        </div>
      </EmptyState>
    );

  return (
    <div data-testid="explorer-page">
      <div className={styles.toolbar}>
        <Select
          aria-label="Application"
          width={30}
          options={(apps.value ?? []).map((a) => ({ label: `${a.name} (${a.appId})`, value: a.appId }))}
          value={appId || null}
          allowCustomValue
          onChange={(v) => set({ app: v?.value })}
          isLoading={apps.loading}
        />
        <FilterBar
          value={state.filter}
          onApply={(f) => set({ filter: f || undefined })}
          loadValues={loadValues}
          placeholder={`e.g. browser = "Chrome" and duration > 1000; fields: ${FIELD_HINT}, attr."key"`}
        />
        {explore && (
          <LinkButton variant="secondary" icon="compass" href={explore} data-testid="open-in-explore">
            Open in Explore
          </LinkButton>
        )}
        <TimeControls
          range={range}
          onRefresh={() => {
            rows.reload();
            facets.reload();
          }}
        />
      </div>
      <TabsBar>
        {TABS.map((t) => (
          <Tab
            key={t.id}
            label={t.label}
            active={t.id === state.tab.id}
            onChangeTab={() => set({ tab: t.id, sort: undefined, cols: undefined })}
          />
        ))}
      </TabsBar>
      <div className={styles.body}>
        <FacetSidebar facets={facets.value ?? []} onAdd={addCondition} />
        <div className={styles.results}>
          {rows.error && (
            <Alert severity="error" title={rows.error.message} data-testid="explorer-error">
              {rows.error.parameter === 'filter' &&
                "Fix the filter above; it uses the server's filter language."}
            </Alert>
          )}
          {rows.loading && !rows.value && <LoadingPlaceholder text="Loading..." />}
          {rows.value && rows.value.length === 0 && !rows.loading && (
            <EmptyState
              variant="not-found"
              message={state.filter ? 'The filter matched nothing' : 'No data in this time range'}
            >
              {state.filter
                ? 'Remove a condition or widen the time range.'
                : `Nothing from ${appId} between these times: widen the range, or check the integration guide.`}
              {!state.filter && (
                <div style={{ marginTop: 8 }}>
                  <LinkButton variant="secondary" href={appUrl(`applications/${appId}`)}>
                    Integration guide
                  </LinkButton>
                </div>
              )}
            </EmptyState>
          )}
          {rows.value && rows.value.length > 0 && (
            <div data-testid="explorer-rows" data-rows={rows.value.length}>
              <FrameTable
                frame={rows.value}
                visible={visible}
                onColumnsChange={(cols) => set({ cols: cols.join(',') })}
                onFilter={(f, v) => addCondition(f, v)}
              />
            </div>
          )}
        </div>
      </div>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  toolbar: css({
    display: 'flex',
    gap: theme.spacing(1),
    alignItems: 'center',
    marginBottom: theme.spacing(1),
    flexWrap: 'wrap',
  }),
  body: css({ display: 'flex', gap: theme.spacing(2), paddingTop: theme.spacing(2) }),
  results: css({ flexGrow: 1, minWidth: 0 }),
});
