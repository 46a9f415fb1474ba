/*
 * Journeys: the list, the editor of a journey's steps (admins), and its funnel over the time range:
 * sessions, conversion and drop-off per step, the errors and slow requests met at each step, and the
 * sessions that dropped at a step one click away (the analysis' `dropped_at`). State in the URL:
 * journey, edit, dropped, from, to.
 */
import React, { useEffect, useState } from 'react';
import { css } from '@emotion/css';
import { dateTimeFormat, type GrafanaTheme2, type UrlQueryMap } from '@grafana/data';
import { locationService } from '@grafana/runtime';
import {
  Alert,
  Button,
  ConfirmModal,
  EmptyState,
  Field,
  IconButton,
  Input,
  LinkButton,
  LoadingPlaceholder,
  RadioButtonGroup,
  Select,
  Stack,
  useStyles2,
} from '@grafana/ui';
import { MAX_JOURNEY_STEPS } from '@otel-rum/model';
import type { AppApi, Journey, JourneyAnalysis, JourneySession } from '../../shared/appApi';
import { appUrl, queryText } from '../../shared/location';
import { canDo } from '../../shared/settings';
import { rangeFromQuery, TimeControls } from '../../shared/timeRange';
import { useAsync } from '../../shared/useAsync';
import { RumApiError } from '../../datasource/api';
import { draftOf, draftProblems, emptyDraft, funnelRows, inputOf, type JourneyDraft } from './journeyForm';

const STEP_TYPES: Array<{ value: 'view' | 'action'; label: string }> = [
  { value: 'view', label: 'View path' },
  { value: 'action', label: 'Action name' },
];

export function JourneysPage({ api, query }: { api: AppApi; query: UrlQueryMap }) {
  const styles = useStyles2(getStyles);
  const selected = queryText(query, 'journey');
  const editing = queryText(query, 'edit') === '1';
  const list = useAsync(() => api.listJourneys(), [api]);
  const manage = canDo('manage');
  const current = list.value?.find((j) => j.id === selected);
  return (
    <div className={styles.layout}>
      <div className={styles.list} data-testid="journeys-list">
        <Stack justifyContent="space-between" alignItems="center">
          <h4 style={{ margin: 0 }}>Journeys</h4>
          {manage && (
            <Button
              size="sm"
              icon="plus"
              onClick={() => locationService.push(appUrl('journeys', { edit: '1' }))}
            >
              New journey
            </Button>
          )}
        </Stack>
        {list.error && <Alert severity="error" title={list.error.message} />}
        {list.loading && !list.value && <LoadingPlaceholder text="Loading journeys..." />}
        {list.value?.length === 0 && (
          <p className={styles.muted}>
            No journey yet.{' '}
            {manage ? 'Define its steps, or open a session and make one from it.' : 'An admin defines them.'}
          </p>
        )}
        {list.value?.map((j) => (
          <a
            key={j.id}
            href={appUrl('journeys', {
              journey: j.id,
              from: queryText(query, 'from'),
              to: queryText(query, 'to'),
            })}
            className={j.id === selected ? `${styles.item} ${styles.active}` : styles.item}
            data-testid="journey-item"
          >
            <strong>{j.name}</strong>
            <span className={styles.muted}>
              {j.steps.length} step{j.steps.length === 1 ? '' : 's'}
              {j.appId ? ` · ${j.appId}` : ''}
            </span>
          </a>
        ))}
      </div>
      <div className={styles.main}>
        {editing && manage ? (
          <JourneyEditor
            api={api}
            journey={current}
            onSaved={(j) => {
              list.reload();
              locationService.push(appUrl('journeys', { journey: j.id }));
            }}
          />
        ) : current ? (
          <JourneyFunnel api={api} journey={current} query={query} manage={manage} onDeleted={list.reload} />
        ) : (
          list.value &&
          list.value.length > 0 && (
            <EmptyState variant="call-to-action" message="Pick a journey to see its funnel" />
          )
        )}
      </div>
    </div>
  );
}

export function JourneyEditor({
  api,
  journey,
  onSaved,
}: {
  api: AppApi;
  journey?: Journey;
  onSaved: (j: Journey) => void;
}) {
  const [draft, setDraft] = useState<JourneyDraft>(() => (journey ? draftOf(journey) : emptyDraft()));
  const [tried, setTried] = useState(false);
  const [error, setError] = useState<string>();
  const [saving, setSaving] = useState(false);
  const apps = useAsync(() => api.listApplications(), [api]);
  useEffect(() => setDraft(journey ? draftOf(journey) : emptyDraft()), [journey]);
  const problems = draftProblems(draft);
  const shown = (k: string) => (tried ? problems[k] : undefined);
  const setStep = (i: number, patch: Partial<JourneyDraft['steps'][number]>) =>
    setDraft({ ...draft, steps: draft.steps.map((s, j) => (j === i ? { ...s, ...patch } : s)) });
  const save = async () => {
    setTried(true);
    if (Object.keys(problems).length) return;
    setSaving(true);
    setError(undefined);
    try {
      onSaved(await api.saveJourney(inputOf(draft), journey?.id));
    } catch (e) {
      setError(e instanceof RumApiError || e instanceof Error ? e.message : String(e));
    } finally {
      setSaving(false);
    }
  };
  return (
    <div data-testid="journey-editor">
      <h3>{journey ? `Edit ${journey.name}` : 'New journey'}</h3>
      <Field label="Name" invalid={Boolean(shown('name'))} error={shown('name')}>
        <Input
          id="journey-name"
          value={draft.name}
          onChange={(e) => setDraft({ ...draft, name: e.currentTarget.value })}
        />
      </Field>
      <Field
        label="Application"
        description="Leave empty to analyse it over any application (or the one chosen)"
      >
        <Select
          inputId="journey-app"
          isClearable
          value={draft.appId || null}
          options={(apps.value ?? []).map((a) => ({ value: a.appId, label: `${a.name} (${a.appId})` }))}
          onChange={(v) => setDraft({ ...draft, appId: v?.value ?? '' })}
        />
      </Field>
      <h4>Steps</h4>
      <p style={{ opacity: 0.8 }}>
        In order. A view step matches the view&apos;s URL path, an action step the action&apos;s name;{' '}
        <code>*</code> is any run of characters, <code>?</code> one character (case-sensitive).
      </p>
      {shown('steps') && <Alert severity="error" title={shown('steps')!} />}
      {draft.steps.map((s, i) => (
        <Stack key={i} alignItems="flex-start" gap={1} data-testid="journey-step">
          <span style={{ paddingTop: 6, minWidth: 24 }}>{i + 1}.</span>
          <RadioButtonGroup<'view' | 'action'>
            size="md"
            value={s.type}
            options={STEP_TYPES}
            onChange={(type) => setStep(i, { type })}
          />
          <Field invalid={Boolean(shown(`step.${i}`))} error={shown(`step.${i}`)} style={{ flex: 1 }}>
            <Input
              aria-label={`Step ${i + 1} glob`}
              value={s.pattern}
              placeholder={s.type === 'view' ? '/products/*' : 'Add to cart'}
              onChange={(e) => setStep(i, { pattern: e.currentTarget.value })}
            />
          </Field>
          <IconButton
            name="arrow-up"
            tooltip="Move up"
            disabled={i === 0}
            onClick={() => {
              const steps = [...draft.steps];
              [steps[i - 1], steps[i]] = [steps[i]!, steps[i - 1]!];
              setDraft({ ...draft, steps });
            }}
          />
          <IconButton
            name="trash-alt"
            tooltip="Remove the step"
            onClick={() => setDraft({ ...draft, steps: draft.steps.filter((_, j) => j !== i) })}
          />
        </Stack>
      ))}
      <Stack gap={1}>
        <Button
          variant="secondary"
          icon="plus"
          disabled={draft.steps.length >= MAX_JOURNEY_STEPS}
          onClick={() => setDraft({ ...draft, steps: [...draft.steps, { type: 'view', pattern: '' }] })}
        >
          Add step
        </Button>
        <Button onClick={save} disabled={saving} data-testid="journey-save">
          {journey ? 'Save' : 'Create'}
        </Button>
        <LinkButton variant="secondary" fill="text" href={appUrl('journeys', { journey: journey?.id })}>
          Cancel
        </LinkButton>
      </Stack>
      {error && (
        <Alert severity="error" title="The server refused the journey">
          {error}
        </Alert>
      )}
    </div>
  );
}

function JourneyFunnel({
  api,
  journey,
  query,
  manage,
  onDeleted,
}: {
  api: AppApi;
  journey: Journey;
  query: UrlQueryMap;
  manage: boolean;
  onDeleted: () => void;
}) {
  const styles = useStyles2(getStyles);
  const range = rangeFromQuery(query);
  const dropped = Number(queryText(query, 'dropped')) || undefined;
  const [confirm, setConfirm] = useState(false);
  const analysis = useAsync(
    () =>
      api.analyseJourney(journey.id, {
        from: range.from.valueOf(),
        to: range.to.valueOf(),
        droppedAt: dropped !== undefined && dropped < journey.steps.length ? dropped : undefined,
      }),
    [api, journey, queryText(query, 'from'), queryText(query, 'to'), dropped],
  );
  const a = analysis.value;
  const rows = a ? funnelRows(a) : [];
  return (
    <div data-testid="journey-funnel">
      <Stack justifyContent="space-between" alignItems="center">
        <h3 style={{ margin: 0 }}>{journey.name}</h3>
        <Stack gap={1}>
          <TimeControls range={range} onRefresh={analysis.reload} />
          {manage && (
            <>
              <LinkButton
                variant="secondary"
                icon="pen"
                href={appUrl('journeys', { journey: journey.id, edit: '1' })}
              >
                Edit
              </LinkButton>
              <Button variant="destructive" icon="trash-alt" onClick={() => setConfirm(true)}>
                Delete
              </Button>
            </>
          )}
        </Stack>
      </Stack>
      {analysis.error && <Alert severity="error" title={analysis.error.message} />}
      {!a && !analysis.error && <LoadingPlaceholder text="Analysing the journey..." />}
      {a && a.steps[0]?.sessions === 0 && (
        <Alert severity="info" title="No session reached the first step in this time range">
          Widen the time range, or check the first step&apos;s glob against the explorer&apos;s Views tab.
        </Alert>
      )}
      {a && (
        <table className={styles.funnel}>
          <thead>
            <tr>
              <th>Step</th>
              <th style={{ width: '30%' }}>Sessions</th>
              <th>Conversion</th>
              <th>From previous</th>
              <th>Median time</th>
              <th>Dropped after</th>
              <th>Errors at step</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.index} data-testid="funnel-step" data-sessions={r.sessions}>
                <td>{r.label}</td>
                <td>
                  <div className={styles.barTrack}>
                    <div
                      className={styles.bar}
                      style={{ width: `${Math.max(r.share * 100, r.sessions ? 1 : 0)}%` }}
                    />
                    <span className={styles.barText}>{r.sessions}</span>
                  </div>
                </td>
                <td>{r.text.conversion}</td>
                <td>{r.text.step_conversion}</td>
                <td>{r.text.median_time}</td>
                <td>
                  {r.dropOff ? (
                    <a
                      href={appUrl('journeys', {
                        journey: journey.id,
                        dropped: String(r.index),
                        from: queryText(query, 'from'),
                        to: queryText(query, 'to'),
                      })}
                      data-testid="dropped-link"
                    >
                      {r.text.drop_off} ({r.text.drop_off_rate})
                    </a>
                  ) : (
                    r.text.drop_off
                  )}
                </td>
                <td>{r.text.errors}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {a && <StepProblems analysis={a} />}
      {a?.dropped && (
        <div data-testid="dropped-sessions">
          <h4>
            Sessions that reached step {a.dropped.step} and not step {a.dropped.step + 1}
            {a.dropped.nextCursor ? ' (the latest)' : ''}
          </h4>
          <SessionList items={a.dropped.items} label="Reached the step" />
        </div>
      )}
      {a && !a.dropped && a.completed.items.length > 0 && (
        <div data-testid="completed-sessions">
          <h4>Sessions that completed the journey{a.completed.nextCursor ? ' (the latest)' : ''}</h4>
          <SessionList items={a.completed.items} label="Completed" />
        </div>
      )}
      {confirm && (
        <ConfirmModal
          isOpen
          title={`Delete the journey ${journey.name}?`}
          body="Its definition goes; no RUM data is deleted (the funnel is computed from stored events)."
          confirmText="Delete"
          onDismiss={() => setConfirm(false)}
          onConfirm={async () => {
            await api.deleteJourney(journey.id);
            setConfirm(false);
            onDeleted();
            locationService.push(appUrl('journeys'));
          }}
        />
      )}
    </div>
  );
}

function StepProblems({ analysis }: { analysis: JourneyAnalysis }) {
  const withProblems = analysis.steps.filter((s) => s.errors.count > 0 || s.slowResources.count > 0);
  if (!withProblems.length) return null;
  return (
    <div data-testid="step-problems">
      <h4>What sessions met at each step</h4>
      {withProblems.map((s) => (
        <div key={s.index} style={{ marginBottom: 8 }}>
          <strong>Step {s.index}</strong>
          <ul>
            {s.errors.top.map((e, i) => (
              <li key={`e${i}`}>
                {e.fingerprint ? (
                  <a
                    href={appUrl(`issues/${encodeURIComponent(e.fingerprint)}`, {
                      app_id: analysis.appId ?? undefined,
                    })}
                  >
                    {e.message ?? e.fingerprint}
                  </a>
                ) : (
                  e.message
                )}{' '}
                ×{e.count}
              </li>
            ))}
            {s.slowResources.top.map((r, i) => (
              <li key={`r${i}`}>
                slower than {analysis.slowResourceMs} ms: {r.url} ×{r.count} (avg{' '}
                {Math.round(r.avgDurationMs)} ms, max {Math.round(r.maxDurationMs)} ms)
              </li>
            ))}
          </ul>
        </div>
      ))}
    </div>
  );
}

function SessionList({ items, label }: { items: JourneySession[]; label: string }) {
  if (!items.length) return <p>None in this time range.</p>;
  return (
    <table style={{ width: '100%' }}>
      <thead>
        <tr>
          <th>Session</th>
          <th>Application</th>
          <th>Started the journey</th>
          <th>{label}</th>
        </tr>
      </thead>
      <tbody>
        {items.map((s) => (
          <tr key={`${s.appId}/${s.sessionId}`}>
            <td>
              <a
                href={appUrl(`sessions/${encodeURIComponent(s.sessionId)}`, { app_id: s.appId })}
                data-testid="journey-session"
              >
                {s.sessionId}
              </a>
            </td>
            <td>{s.appId}</td>
            <td>{dateTimeFormat(s.startedAt)}</td>
            <td>{dateTimeFormat(s.completedAt)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  layout: css({ display: 'flex', gap: theme.spacing(2), alignItems: 'flex-start' }),
  list: css({ width: 260, flexShrink: 0, display: 'flex', flexDirection: 'column', gap: theme.spacing(1) }),
  main: css({ flex: 1, minWidth: 0 }),
  item: css({
    display: 'flex',
    overflowWrap: 'anywhere',
    flexDirection: 'column',
    padding: theme.spacing(1),
    borderRadius: theme.shape.radius.default,
    border: `1px solid ${theme.colors.border.weak}`,
    '&:hover': { background: theme.colors.action.hover },
  }),
  active: css({ borderColor: theme.colors.primary.border, background: theme.colors.action.selected }),
  muted: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
  funnel: css({
    width: '100%',
    margin: theme.spacing(2, 0),
    'th, td': { padding: theme.spacing(0.5, 1), borderBottom: `1px solid ${theme.colors.border.weak}` },
  }),
  barTrack: css({ position: 'relative', height: 22, background: theme.colors.background.secondary }),
  bar: css({
    position: 'absolute',
    inset: 0,
    right: 'auto',
    background: theme.colors.primary.main,
    opacity: 0.7,
  }),
  barText: css({ position: 'relative', paddingLeft: theme.spacing(1), lineHeight: '22px' }),
});
