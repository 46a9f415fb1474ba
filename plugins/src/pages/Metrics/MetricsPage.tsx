/*
 * Generated metrics: the server's rules with the Prometheus samples each exposes, create and edit
 * (admins) with a live preview of the series the rule would make (the query API's aggregate over the
 * stored events, as the draft changes), a saved rule's stored series, and an alert rule draft in
 * Grafana's alerting. State in the URL: rule, edit.
 */
import React, { useEffect, useState } from 'react';
import { css } from '@emotion/css';
import { type GrafanaTheme2, type UrlQueryMap } from '@grafana/data';
import { getDataSourceSrv, locationService } from '@grafana/runtime';
import {
  Alert,
  Button,
  ClipboardButton,
  ConfirmModal,
  Field,
  Input,
  LinkButton,
  LoadingPlaceholder,
  Select,
  Stack,
  useStyles2,
} from '@grafana/ui';
import {
  EVENT_KINDS,
  METRIC_RULE_AGGREGATIONS,
  type AggregateResult,
  type EventKind,
  type MetricRule,
  type MetricRuleAggregation,
  type MetricRuleDefinition,
  type MetricRuleState,
} from '@otel-rum/model';
import type { AppApi } from '../../shared/appApi';
import { appUrl, queryText } from '../../shared/location';
import { canDo } from '../../shared/settings';
import { useAsync } from '../../shared/useAsync';
import { RumApiError } from '../../datasource/api';
import {
  alertDraftUrl,
  alertExpression,
  alertProvisioning,
  draftOfRule,
  emptyRule,
  previewRequest,
  prometheusSamples,
  ruleBody,
  ruleProblems,
  type RuleDraft,
} from './ruleForm';

const RULES = '/api/v1/metrics/rules';
const ruleUrl = (name: string) => `${RULES}/${encodeURIComponent(name)}`;
/** How long the editor waits after the last keystroke before it asks for a preview. */
const PREVIEW_DEBOUNCE_MS = 500;
/** Intervals the preview spans, as the server's series query by default. */
const PREVIEW_INTERVALS = 60;

/** One line of a small chart: a label set and its values per interval. */
export interface ChartSeries {
  name: string;
  points: Array<[number, number | null]>;
}

export function MetricsPage({ api, query }: { api: AppApi; query: UrlQueryMap }) {
  const styles = useStyles2(getStyles);
  const selected = queryText(query, 'rule');
  const editing = queryText(query, 'edit') === '1';
  const manage = canDo('manage');
  const rules = useAsync(() => api.get<{ items: MetricRuleState[] }>(RULES).then((r) => r.items), [api]);
  const current = rules.value?.find((r) => r.name === selected);
  return (
    <div>
      <Stack justifyContent="space-between" alignItems="center">
        <p className={styles.muted}>
          Rules turn RUM events into Prometheus metrics as they arrive, scraped at the server&apos;s{' '}
          <code>/metrics</code>.
        </p>
        {manage && (
          <Button icon="plus" onClick={() => locationService.push(appUrl('metrics', { edit: '1' }))}>
            New rule
          </Button>
        )}
      </Stack>
      {rules.error && <Alert severity="error" title={rules.error.message} />}
      {rules.loading && !rules.value && <LoadingPlaceholder text="Loading rules..." />}
      {rules.value && (
        <table className={styles.table} data-testid="metric-rules">
          <thead>
            <tr>
              <th>Rule</th>
              <th>Events</th>
              <th>Measures</th>
              <th>Prometheus samples</th>
              <th>Series</th>
            </tr>
          </thead>
          <tbody>
            {rules.value.length === 0 && (
              <tr>
                <td colSpan={5}>
                  No rule yet.{manage ? ' Create one: its preview shows what it would make.' : ''}
                </td>
              </tr>
            )}
            {rules.value.map((r) => (
              <tr
                key={r.name}
                data-testid="metric-rule"
                className={r.name === selected ? styles.active : undefined}
              >
                <td>
                  <a href={appUrl('metrics', { rule: r.name })}>{r.name}</a>
                </td>
                <td>
                  {r.kind}
                  {r.filter ? ` where ${r.filter}` : ''}
                </td>
                <td>
                  {r.aggregation === 'count'
                    ? 'count'
                    : `${r.aggregation === 'percentile' ? `p${r.percentile}` : r.aggregation}(${r.field})`}
                </td>
                <td>
                  {prometheusSamples(r).map((s) => (
                    <div key={s}>
                      <code>{s}</code>
                    </div>
                  ))}
                </td>
                <td>{r.series}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {editing && manage && (
        <RuleEditor
          api={api}
          rule={current}
          onSaved={(r) => {
            rules.reload();
            locationService.push(appUrl('metrics', { rule: r.name }));
          }}
        />
      )}
      {!editing && current && (
        <RuleDetails api={api} rule={current} manage={manage} onDeleted={rules.reload} />
      )}
    </div>
  );
}

export function RuleEditor({
  api,
  rule,
  onSaved,
}: {
  api: AppApi;
  rule?: MetricRuleDefinition;
  onSaved: (r: MetricRule) => void;
}) {
  const styles = useStyles2(getStyles);
  const [draft, setDraft] = useState<RuleDraft>(() => (rule ? draftOfRule(rule) : emptyRule()));
  const [tried, setTried] = useState(false);
  const [error, setError] = useState<string>();
  const [warnings, setWarnings] = useState<string[]>([]);
  const problems = ruleProblems(draft);
  const shown = (k: string) => (tried ? problems[k] : undefined);
  const set = <K extends keyof RuleDraft>(k: K, v: RuleDraft[K]) => setDraft((d) => ({ ...d, [k]: v }));
  const save = async () => {
    setTried(true);
    if (Object.keys(problems).length) return;
    setError(undefined);
    try {
      const saved = rule
        ? await api.put<MetricRule & { warnings: string[] }>(ruleUrl(rule.name), ruleBody(draft))
        : await api.post<MetricRule>(RULES, ruleBody(draft));
      const w = (saved as { warnings?: string[] }).warnings ?? [];
      setWarnings(w);
      if (!w.length) onSaved(saved);
    } catch (e) {
      setError(e instanceof RumApiError || e instanceof Error ? e.message : String(e));
    }
  };
  const measured = draft.aggregation !== 'count';
  return (
    <div className={styles.panel} data-testid="rule-editor">
      <h3>{rule ? `Edit ${rule.name}` : 'New rule'}</h3>
      <div className={styles.columns}>
        <div>
          <Field
            label="Metric name"
            description="The Prometheus name; counters usually end in _total. A rule cannot be renamed."
            invalid={Boolean(shown('name'))}
            error={shown('name')}
          >
            <Input
              id="rule-name"
              value={draft.name}
              disabled={Boolean(rule)}
              onChange={(e) => set('name', e.currentTarget.value)}
            />
          </Field>
          <Field label="Description" description="The HELP text">
            <Input
              id="rule-description"
              value={draft.description}
              onChange={(e) => set('description', e.currentTarget.value)}
            />
          </Field>
          <Field label="Events">
            <Select
              inputId="rule-kind"
              value={draft.kind}
              options={EVENT_KINDS.map((k) => ({ value: k, label: k }))}
              onChange={(v) => set('kind', v.value as EventKind)}
            />
          </Field>
          <Field
            label="Filter"
            description='The filter language, e.g. status >= 500 and path ~ "/api/*"; empty: every event'
          >
            <Input
              id="rule-filter"
              value={draft.filter}
              onChange={(e) => set('filter', e.currentTarget.value)}
            />
          </Field>
          <Stack gap={1}>
            <Field label="Aggregation">
              <Select
                inputId="rule-aggregation"
                width={18}
                value={draft.aggregation}
                options={METRIC_RULE_AGGREGATIONS.map((a) => ({
                  value: a,
                  label: a,
                }))}
                onChange={(v) => set('aggregation', v.value as MetricRuleAggregation)}
              />
            </Field>
            {measured && (
              <Field label="Field" invalid={Boolean(shown('field'))} error={shown('field')}>
                <Input
                  id="rule-field"
                  value={draft.field}
                  onChange={(e) => set('field', e.currentTarget.value)}
                />
              </Field>
            )}
            {draft.aggregation === 'percentile' && (
              <Field label="Percentile" invalid={Boolean(shown('percentile'))} error={shown('percentile')}>
                <Input
                  id="rule-percentile"
                  width={10}
                  value={draft.percentile}
                  onChange={(e) => set('percentile', e.currentTarget.value)}
                />
              </Field>
            )}
          </Stack>
          <Field
            label="Dimensions (labels)"
            description='Comma-separated fields, "field as label" to name the label, e.g. path, status as code'
            invalid={Boolean(shown('dimensions'))}
            error={shown('dimensions')}
          >
            <Input
              id="rule-dimensions"
              value={draft.dimensions}
              onChange={(e) => set('dimensions', e.currentTarget.value)}
            />
          </Field>
          <Field
            label="Interval (seconds)"
            invalid={Boolean(shown('intervalSeconds'))}
            error={shown('intervalSeconds')}
          >
            <Input
              id="rule-interval"
              width={12}
              value={draft.intervalSeconds}
              onChange={(e) => set('intervalSeconds', e.currentTarget.value)}
            />
          </Field>
          <Stack gap={1}>
            <Button onClick={save} data-testid="rule-save">
              {rule ? 'Save' : 'Create'}
            </Button>
            <LinkButton variant="secondary" fill="text" href={appUrl('metrics', { rule: rule?.name })}>
              Cancel
            </LinkButton>
          </Stack>
          {error && (
            <Alert severity="error" title="The server refused the rule">
              {error}
            </Alert>
          )}
          {warnings.length > 0 && (
            <Alert severity="warning" title="Saved" data-testid="rule-warnings">
              {warnings.join('; ')} <a href={appUrl('metrics', { rule: rule?.name })}>Open the rule</a>
            </Alert>
          )}
        </div>
        <RulePreview api={api} draft={draft} />
      </div>
    </div>
  );
}

/** The series the draft would make over the last intervals, from the stored events. */
function RulePreview({ api, draft }: { api: AppApi; draft: RuleDraft }) {
  const [settled, setSettled] = useState(draft);
  useEffect(() => {
    const t = setTimeout(() => setSettled(draft), PREVIEW_DEBOUNCE_MS);
    return () => clearTimeout(t);
  }, [draft]);
  const problems = ruleProblems({ ...settled, name: settled.name || 'preview' });
  const interval = Number(settled.intervalSeconds) || 60;
  const to = Math.ceil(Date.now() / 1000 / interval) * interval * 1000;
  const req = previewRequest(settled, to - PREVIEW_INTERVALS * interval * 1000, to);
  const preview = useAsync<ChartSeries[] | undefined>(
    () =>
      'params' in req && !Object.keys(problems).length
        ? api.get<AggregateResult>('/api/v1/aggregate', req.params).then((a) =>
            a.series.map((s) => ({
              name: Object.entries(s.group)
                .map(([k, v]) => `${k}="${v ?? ''}"`)
                .join(', '),
              points: s.points.map((p) => [Date.parse(p[0]), p[1]] as [number, number | null]),
            })),
          )
        : Promise.resolve(undefined),
    [api, JSON.stringify(settled)],
  );
  return (
    <div data-testid="rule-preview">
      <h4>Preview: the last {PREVIEW_INTERVALS} intervals of stored events</h4>
      {'problem' in req && <Alert severity="info" title={req.problem} />}
      {Object.keys(problems).length > 0 && <p>Complete the rule to see its preview.</p>}
      {preview.error && <Alert severity="error" title={preview.error.message} />}
      {preview.value && <SeriesChart series={preview.value} />}
    </div>
  );
}

function RuleDetails({
  api,
  rule,
  manage,
  onDeleted,
}: {
  api: AppApi;
  rule: MetricRuleState;
  manage: boolean;
  onDeleted: () => void;
}) {
  const styles = useStyles2(getStyles);
  const [confirm, setConfirm] = useState(false);
  const series = useAsync(
    () =>
      api
        .get<{
          series: Array<{
            labels: Record<string, string>;
            points: Array<{ time: string; value: number | null }>;
          }>;
        }>(`${ruleUrl(rule.name)}/series`)
        .then((r) =>
          r.series.map((s) => ({
            name: Object.entries(s.labels)
              .map(([k, v]) => `${k}="${v}"`)
              .join(', '),
            points: s.points.map((p) => [Date.parse(p.time), p.value] as [number, number | null]),
          })),
        ),
    [api, rule],
  );
  const proms = getDataSourceSrv().getList({ type: 'prometheus' });
  const [promUid, setPromUid] = useState(proms[0]?.uid ?? '');
  const provisioning = JSON.stringify(alertProvisioning(rule, promUid || '<prometheus uid>'), null, 2);
  return (
    <div className={styles.panel} data-testid="rule-details">
      <Stack justifyContent="space-between" alignItems="center">
        <h3 style={{ margin: 0 }}>{rule.name}</h3>
        {manage && (
          <Stack gap={1}>
            <LinkButton
              variant="secondary"
              icon="pen"
              href={appUrl('metrics', { rule: rule.name, edit: '1' })}
            >
              Edit
            </LinkButton>
            <Button variant="destructive" icon="trash-alt" onClick={() => setConfirm(true)}>
              Delete
            </Button>
          </Stack>
        )}
      </Stack>
      {rule.description && <p>{rule.description}</p>}
      <Stack justifyContent="space-between" alignItems="center">
        <h4>Stored series (every {rule.intervalSeconds} s)</h4>
        <Button
          variant="secondary"
          size="sm"
          icon="sync"
          onClick={series.reload}
          data-testid="series-refresh"
        >
          Refresh
        </Button>
      </Stack>
      {series.error && <Alert severity="error" title={series.error.message} />}
      {series.value && <SeriesChart series={series.value} />}
      {rule.droppedEvents && Object.values(rule.droppedEvents).some((n) => n > 0) && (
        <Alert severity="warning" title="Events dropped by this rule">
          {Object.entries(rule.droppedEvents)
            .filter(([, n]) => n > 0)
            .map(([k, n]) => `${k}: ${n}`)
            .join(', ')}
        </Alert>
      )}
      <h4>Alert on it</h4>
      <p>
        Once Prometheus scrapes the server&apos;s <code>/metrics</code>, a Grafana alert rule can watch{' '}
        <code data-testid="alert-expr">{alertExpression(rule)}</code>.
      </p>
      <Stack gap={1} alignItems="center">
        {proms.length > 0 && (
          <Select
            width={30}
            aria-label="Prometheus data source"
            value={promUid}
            options={proms.map((d) => ({ value: d.uid, label: d.name }))}
            onChange={(v) => setPromUid(v.value ?? '')}
          />
        )}
        <LinkButton
          icon="bell"
          href={alertDraftUrl(rule, promUid)}
          data-testid="alert-draft"
          disabled={!promUid}
        >
          New alert rule draft
        </LinkButton>
        <ClipboardButton icon="copy" variant="secondary" getText={() => provisioning}>
          Copy provisioning JSON
        </ClipboardButton>
      </Stack>
      {proms.length === 0 && (
        <Alert severity="info" title="No Prometheus data source in this Grafana">
          Add one that scrapes the otel-rum server, then draft the alert; the provisioning JSON below names it
          as &lt;prometheus uid&gt;.
        </Alert>
      )}
      <details>
        <summary>Provisioning JSON (POST /api/v1/provisioning/alert-rules)</summary>
        <pre data-testid="alert-provisioning">{provisioning}</pre>
      </details>
      {confirm && (
        <ConfirmModal
          isOpen
          title={`Delete the rule ${rule.name}?`}
          body="Its stored series go with it, and Prometheus stops receiving the metric: alerts on it will see no data."
          confirmText="Delete"
          onDismiss={() => setConfirm(false)}
          onConfirm={async () => {
            await api.delete(ruleUrl(rule.name));
            setConfirm(false);
            onDeleted();
            locationService.push(appUrl('metrics'));
          }}
        />
      )}
    </div>
  );
}

/** Each series as a line over its intervals, with its latest value. */
export function SeriesChart({ series }: { series: ChartSeries[] }) {
  const styles = useStyles2(getStyles);
  if (!series.length)
    return <p data-testid="series-empty">No series: no stored event matched in this span.</p>;
  const times = series.flatMap((s) => s.points.map((p) => p[0]));
  const values = series.flatMap((s) => s.points.map((p) => p[1] ?? 0));
  const [t0, t1] = [Math.min(...times), Math.max(...times)];
  const max = Math.max(...values, 1);
  const W = 240;
  const H = 36;
  return (
    <table className={styles.table} data-testid="series-chart">
      <tbody>
        {series.map((s) => {
          const pts = s.points
            .filter((p) => p[1] !== null)
            .map(
              (p) => `${t1 > t0 ? ((p[0] - t0) / (t1 - t0)) * W : W / 2},${H - ((p[1] as number) / max) * H}`,
            )
            .join(' ');
          const last = [...s.points].reverse().find((p) => p[1] !== null)?.[1];
          return (
            <tr key={s.name} data-testid="series-row">
              <td>
                <code>{s.name ? `{${s.name}}` : '(no labels)'}</code>
              </td>
              <td>
                <svg width={W} height={H} role="img" aria-label={`series ${s.name}`}>
                  <polyline points={pts} fill="none" stroke="currentColor" strokeWidth={1.5} />
                  {s.points.length === 1 && (
                    <circle
                      cx={W / 2}
                      cy={H - ((s.points[0]![1] ?? 0) / max) * H}
                      r={2}
                      fill="currentColor"
                    />
                  )}
                </svg>
              </td>
              <td data-testid="series-last">
                {last === undefined || last === null ? '–' : Math.round(last * 1000) / 1000}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  muted: css({ color: theme.colors.text.secondary }),
  table: css({
    width: '100%',
    marginBottom: theme.spacing(2),
    'th, td': {
      padding: theme.spacing(0.5, 1),
      borderBottom: `1px solid ${theme.colors.border.weak}`,
      verticalAlign: 'top',
    },
  }),
  active: css({ background: theme.colors.action.selected }),
  panel: css({
    border: `1px solid ${theme.colors.border.weak}`,
    padding: theme.spacing(2),
    borderRadius: theme.shape.radius.default,
  }),
  columns: css({
    display: 'grid',
    gridTemplateColumns: 'minmax(320px, 1fr) minmax(320px, 1fr)',
    gap: theme.spacing(3),
  }),
});
