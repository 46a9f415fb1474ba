/*
 * The applications registered on the server: what each is, how much it received over the time range,
 * when it last sent anything; create, edit and delete (admins).
 */
import React, { useState } from 'react';
import { css } from '@emotion/css';
import { dateTimeFormat, type GrafanaTheme2, type UrlQueryMap } from '@grafana/data';
import { locationService } from '@grafana/runtime';
import {
  Alert,
  Badge,
  Button,
  ConfirmModal,
  EmptyState,
  InteractiveTable,
  LinkButton,
  LoadingPlaceholder,
  Stack,
  useStyles2,
  type Column,
} from '@grafana/ui';
import { DEFAULT_RETENTION_DAYS, MAX_FACET_VALUES, MAX_PAGE_SIZE } from '@otel-rum/model';
import type { AppApi, ManagedApplication } from '../../shared/appApi';
import { appUrl } from '../../shared/location';
import { canDo } from '../../shared/settings';
import { rangeFromQuery, TimeControls } from '../../shared/timeRange';
import { useAsync } from '../../shared/useAsync';
import { dashboardHref } from './LinkedDashboards';
import { bundledFor } from '../../dashboards/catalog';

/** One row: the application and what it received over the range. */
export interface ApplicationRow {
  app: ManagedApplication;
  /** Sessions that started in the range; `capped` when there are more than one page holds. */
  sessions: number;
  sessionsCapped: boolean;
  errors: number;
  /** End of the application's latest session, at any time; null: nothing received yet. */
  lastData: string | null;
}

/** The list with its counts: one facet call for every app's errors, two small calls per app. */
export async function loadApplicationRows(
  api: AppApi,
  fromMs: number,
  toMs: number,
): Promise<ApplicationRow[]> {
  const apps = await api.listApplications();
  const errors = await api.get<{ values: Array<{ value: unknown; count: number }> }>('/api/v1/facets', {
    field: 'app',
    kind: 'error',
    from: fromMs,
    to: toMs,
    limit: MAX_FACET_VALUES,
  });
  const errorsOf = new Map(errors.values.map((v) => [String(v.value), v.count]));
  type Sessions = { items: Array<{ end: string }>; nextCursor: string | null };
  return Promise.all(
    apps.map(async (app) => {
      const [inRange, latest] = await Promise.all([
        api.get<Sessions>('/api/v1/sessions', {
          app_id: app.appId,
          from: fromMs,
          to: toMs,
          limit: MAX_PAGE_SIZE,
        }),
        api.get<Sessions>('/api/v1/sessions', { app_id: app.appId, sort: '-end', limit: 1 }),
      ]);
      return {
        app,
        sessions: inRange.items.length,
        sessionsCapped: inRange.nextCursor !== null,
        errors: errorsOf.get(app.appId) ?? 0,
        lastData: latest.items[0]?.end ?? null,
      };
    }),
  );
}

export function ApplicationsPage({ api, query }: { api: AppApi; query: UrlQueryMap }) {
  const styles = useStyles2(getStyles);
  const range = rangeFromQuery(query);
  const fromMs = range.from.valueOf();
  const toMs = range.to.valueOf();
  const rows = useAsync(() => loadApplicationRows(api, fromMs, toMs), [api, query.from, query.to]);
  const [deleting, setDeleting] = useState<ManagedApplication | null>(null);
  const [deleteError, setDeleteError] = useState<string | null>(null);
  const manage = canDo('manage');

  const columns: Array<Column<ApplicationRow>> = [
    {
      id: 'name',
      header: 'Name',
      sortType: 'string',
      cell: ({ row }) => (
        <a href={appUrl(`applications/${row.original.app.appId}`)}>{row.original.app.name}</a>
      ),
    },
    { id: 'appId', header: 'App id', cell: ({ row }) => <code>{row.original.app.appId}</code> },
    { id: 'type', header: 'Type', cell: ({ row }) => row.original.app.type },
    {
      id: 'sessions',
      header: 'Sessions',
      sortType: 'number',
      cell: ({ row }) => `${row.original.sessions}${row.original.sessionsCapped ? '+' : ''}`,
    },
    {
      id: 'errors',
      header: 'Errors',
      sortType: 'number',
      cell: ({ row }) =>
        row.original.errors > 0 ? <Badge color="red" text={String(row.original.errors)} /> : '0',
    },
    {
      id: 'lastData',
      header: 'Last data',
      cell: ({ row }) =>
        row.original.lastData ? (
          dateTimeFormat(row.original.lastData)
        ) : (
          <Badge color="orange" text="waiting for first data" icon="clock-nine" />
        ),
    },
    {
      id: 'dashboards',
      header: 'Dashboards',
      // The bundled dashboards of the app's type, then the ones its admin linked.
      cell: ({ row }) => {
        const { app } = row.original;
        const bundled = bundledFor(app.type);
        if (bundled.length + app.dashboards.length === 0) return '—';
        return (
          <Stack gap={1} wrap="wrap">
            {bundled.map((d) => (
              <a
                key={d.uid}
                href={dashboardHref(d, app.appId)}
                title="Bundled with the app for this type of application"
                data-testid="bundled-dashboard"
              >
                {d.title.replace(/^otel-rum \/ /, '')}
              </a>
            ))}
            {app.dashboards.map((d) => (
              <a key={d.uid ?? d.url} href={dashboardHref(d, app.appId)} data-testid="app-linked-dashboard">
                {d.title}
              </a>
            ))}
          </Stack>
        );
      },
    },
    {
      id: 'actions',
      header: '',
      cell: ({ row }) => (
        <Stack gap={1}>
          <LinkButton
            size="sm"
            variant="secondary"
            icon="search"
            href={appUrl('explorer', {
              app: row.original.app.appId,
              from: String(query.from ?? ''),
              to: String(query.to ?? ''),
            })}
          >
            Explore
          </LinkButton>
          {manage && (
            <>
              <LinkButton
                size="sm"
                variant="secondary"
                icon="pen"
                href={appUrl(`applications/${row.original.app.appId}`)}
              >
                Edit
              </LinkButton>
              <Button
                size="sm"
                variant="destructive"
                icon="trash-alt"
                aria-label={`Delete ${row.original.app.appId}`}
                onClick={() => setDeleting(row.original.app)}
              />
            </>
          )}
        </Stack>
      ),
    },
  ];

  const remove = async () => {
    if (!deleting) return;
    try {
      await api.deleteApplication(deleting.appId);
      setDeleting(null);
      rows.reload();
    } catch (e) {
      setDeleteError(e instanceof Error ? e.message : String(e));
      setDeleting(null);
    }
  };

  return (
    <div data-testid="applications-page">
      <div className={styles.toolbar}>
        <h2 className={styles.title}>Applications</h2>
        <TimeControls range={range} onRefresh={rows.reload} />
        {manage && (
          <LinkButton icon="plus" href={appUrl('applications/new')}>
            New application
          </LinkButton>
        )}
      </div>
      {rows.error && <Alert title={rows.error.message} severity="error" />}
      {deleteError && (
        <Alert
          title={`Could not delete: ${deleteError}`}
          severity="error"
          onRemove={() => setDeleteError(null)}
        />
      )}
      {rows.loading && !rows.value && <LoadingPlaceholder text="Loading applications..." />}
      {rows.value && rows.value.length === 0 && (
        <EmptyState variant="call-to-action" message="No application yet">
          Register the first application: it gives you the app id and the snippet that sends its data.
          {manage && (
            <div className={styles.cta}>
              <Button icon="plus" onClick={() => locationService.push(appUrl('applications/new'))}>
                New application
              </Button>
            </div>
          )}
        </EmptyState>
      )}
      {rows.value && rows.value.length > 0 && (
        <div data-testid="applications-table">
          <InteractiveTable columns={columns} data={rows.value} getRowId={(r) => r.app.appId} />
        </div>
      )}
      <ConfirmModal
        isOpen={deleting !== null}
        title={`Delete application ${deleting?.appId ?? ''}?`}
        body={
          <div data-testid="delete-confirm-body">
            The server refuses data for <code>{deleting?.appId}</code> at once (its SDKs get 403). Data
            already stored is not deleted now: it stays queryable under that id until the server&apos;s
            default retention of {DEFAULT_RETENTION_DAYS} days removes it (the application&apos;s own{' '}
            {deleting?.retentionDays} days no longer apply). Registering the id again shows it here again.
          </div>
        }
        confirmText="Delete"
        confirmationText={deleting?.appId}
        onConfirm={remove}
        onDismiss={() => setDeleting(null)}
      />
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  toolbar: css({
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(2),
    marginBottom: theme.spacing(2),
  }),
  title: css({ margin: 0, flexGrow: 1 }),
  cta: css({ marginTop: theme.spacing(2) }),
});
