/*
 * One issue (an error group): its status with resolve / ignore / reopen, the regression mark, first
 * and last seen, its latest stack as the server parsed it (in-app frames first), its occurrences and the sessions they hit.
 */
import React, { useState } from 'react';
import { dateTimeFormat, type UrlQueryMap } from '@grafana/data';
import { Alert, Badge, Button, LoadingPlaceholder, Stack, useTheme2 } from '@grafana/ui';
import { MAX_PAGE_SIZE, type IssueDetail, type IssueFrame } from '@otel-rum/model';
import type { AppApi } from '../../shared/appApi';
import { appUrl, queryText } from '../../shared/location';
import { useAsync } from '../../shared/useAsync';
import type { EventItem, Page } from '../../datasource/frames/types';
import { quote } from '../../datasource/query/filter';

/**
 * The issue's frames as the server parsed and marked them (the rule that grouped the issue), the
 * application's own before library and browser ones, order kept within each.
 */
export function inAppFirst(frames: readonly IssueFrame[]): IssueFrame[] {
  return [...frames.filter((f) => f.inApp), ...frames.filter((f) => !f.inApp)];
}

/** A frame as a stack trace line: `fn (file:line:column)`. */
export function frameText(f: IssueFrame): string {
  // No file: a built-in function, or code evaluated from a string (which still has a position).
  const file = f.file ?? (f.line === null ? 'native' : '<anonymous>');
  const where = [file, f.line, f.column].filter((x) => x !== null).join(':');
  return f.function ? `${f.function} (${where})` : where;
}

/** Occurrences per bucket between the first and the last one: at most OCCURRENCE_BUCKETS bars. */
export const OCCURRENCE_BUCKETS = 48;

export function occurrenceBuckets(times: readonly string[]): Array<{ start: number; count: number }> {
  if (times.length === 0) return [];
  const ms = times.map((t) => Date.parse(t));
  const first = Math.min(...ms);
  const last = Math.max(...ms);
  // Whole minutes, hours or days, so that the bars read naturally.
  const steps = [60_000, 3_600_000, 86_400_000];
  const step = steps.find((s) => (last - first) / s < OCCURRENCE_BUCKETS) ?? 86_400_000;
  const start = Math.floor(first / step) * step;
  const buckets = Array.from({ length: Math.floor((last - start) / step) + 1 }, (_, i) => ({
    start: start + i * step,
    count: 0,
  }));
  for (const t of ms) buckets[Math.floor((t - start) / step)]!.count++;
  return buckets;
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

export function IssuePage({
  api,
  fingerprint,
  query,
}: {
  api: AppApi;
  fingerprint: string;
  query: UrlQueryMap;
}) {
  const theme = useTheme2();
  const appId = queryText(query, 'app_id');
  const [changing, setChanging] = useState(false);
  const [changeError, setChangeError] = useState<string | null>(null);
  const data = useAsync(async () => {
    if (!appId) throw new Error('The link lacks ?app_id=: an issue belongs to one application');
    const issue = await api.get<IssueDetail>(`/api/v1/issues/${encodeURIComponent(fingerprint)}`, {
      app_id: appId,
    });
    const occurrences = await api.get<Page<EventItem>>('/api/v1/errors', {
      app_id: appId,
      filter: `fingerprint = ${quote(fingerprint)}`,
      limit: MAX_PAGE_SIZE,
    });
    return { issue, occurrences: occurrences.items };
  }, [api, fingerprint, appId]);

  const setStatus = async (status: 'open' | 'resolved' | 'ignored') => {
    setChanging(true);
    setChangeError(null);
    try {
      await api.setIssueStatus(appId, fingerprint, status);
      data.reload();
    } catch (e) {
      setChangeError(e instanceof Error ? e.message : String(e));
    } finally {
      setChanging(false);
    }
  };

  if (data.error) return <Alert severity="error" title={data.error.message} />;
  if (!data.value) return <LoadingPlaceholder text="Loading the issue..." />;
  const { issue, occurrences } = data.value;
  const sessions = [...new Set(occurrences.map((o) => o.sessionId))];
  const versions = [...new Set(occurrences.map((o) => o.serviceVersion).filter(Boolean))];
  const buckets = occurrenceBuckets(occurrences.map((o) => o.time));
  const highest = Math.max(1, ...buckets.map((b) => b.count));
  const views = new Map<string, number>();
  for (const o of occurrences) views.set(o.path ?? '(unknown)', (views.get(o.path ?? '(unknown)') ?? 0) + 1);
  return (
    <div data-testid="issue-page">
      <h2>
        {issue.type ?? 'Error'}: {issue.message}
      </h2>
      <Stack gap={1} alignItems="center">
        <span data-testid="issue-status" data-status={issue.status}>
          <Badge
            color={issue.status === 'open' ? 'red' : issue.status === 'resolved' ? 'green' : 'darkgrey'}
            text={issue.status}
          />
        </span>
        {issue.regressed && (
          <Badge
            color="orange"
            icon="exclamation-triangle"
            text="regressed: seen again after it was resolved"
          />
        )}
        {issue.status !== 'resolved' && (
          <Button
            size="sm"
            icon="check"
            disabled={changing}
            onClick={() => setStatus('resolved')}
            data-testid="resolve"
          >
            Resolve
          </Button>
        )}
        {issue.status !== 'ignored' && (
          <Button
            size="sm"
            variant="secondary"
            icon="eye-slash"
            disabled={changing}
            onClick={() => setStatus('ignored')}
          >
            Ignore
          </Button>
        )}
        {issue.status !== 'open' && (
          <Button
            size="sm"
            variant="secondary"
            icon="history"
            disabled={changing}
            onClick={() => setStatus('open')}
            data-testid="reopen"
          >
            Reopen
          </Button>
        )}
      </Stack>
      {changeError && <Alert severity="error" title={changeError} />}
      <p>
        {plural(issue.count, 'occurrence')} in {plural(issue.sessions, 'session')} · first seen{' '}
        {dateTimeFormat(issue.firstSeen)} · last seen {dateTimeFormat(issue.lastSeen)} · versions{' '}
        {versions.join(', ') || 'unknown'}
      </p>
      <h3>Occurrences over time</h3>
      <div
        data-testid="issue-occurrences"
        style={{ display: 'flex', alignItems: 'flex-end', gap: 2, height: 60, maxWidth: 720 }}
      >
        {buckets.map((b) => (
          <div
            key={b.start}
            title={`${dateTimeFormat(b.start)}: ${b.count}`}
            style={{
              flex: 1,
              height: `${Math.max(2, (b.count / highest) * 100)}%`,
              background: b.count ? theme.colors.error.main : theme.colors.border.weak,
            }}
          />
        ))}
      </div>
      <h3>Stack</h3>
      {issue.frames.length ? (
        <pre data-testid="issue-stack">
          {inAppFirst(issue.frames).map((f, i) => (
            <div key={i} style={{ opacity: f.inApp ? 1 : 0.6 }} data-in-app={f.inApp}>
              {f.inApp ? 'at ' : '(library) at '}
              {frameText(f)}
            </div>
          ))}
        </pre>
      ) : (
        <p>No stack trace was recorded with the latest occurrence.</p>
      )}
      <h3>Affected views</h3>
      <ul data-testid="issue-views">
        {[...views].map(([path, n]) => (
          <li key={path}>
            <a href={appUrl('explorer', { app: appId, tab: 'views', filter: `path = ${quote(path)}` })}>
              {path}
            </a>
            : {plural(n, 'occurrence')}
          </li>
        ))}
      </ul>
      <h3>Affected sessions</h3>
      <ul data-testid="issue-sessions">
        {sessions.map((id) => (
          <li key={id}>
            <a href={appUrl(`sessions/${encodeURIComponent(id)}`, { app_id: appId })}>{id}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}
