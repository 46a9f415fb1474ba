/*
 * Usage: page views per day per application (the billing unit), sessions and replay minutes, and a
 * cost estimate from the tiers an admin keeps in the app's settings (jsonData.usageTiers, saved with
 * Grafana's plugin settings API). State in the URL: from, to.
 */
import React, { useState } from 'react';
import { lastValueFrom } from 'rxjs';
import { css } from '@emotion/css';
import { type GrafanaTheme2, type UrlQueryMap } from '@grafana/data';
import { getBackendSrv, isFetchError } from '@grafana/runtime';
import { Alert, Button, Field, IconButton, Input, LoadingPlaceholder, Stack, useStyles2 } from '@grafana/ui';
import type { AppApi } from '../../shared/appApi';
import { APP_PLUGIN_ID } from '../../shared/links';
import { canDo, type AppJsonData } from '../../shared/settings';
import { rangeFromQuery, TimeControls } from '../../shared/timeRange';
import { useAsync } from '../../shared/useAsync';
import { costEstimate, tiersProblem, usageTable, type CostTier, type UsageDay } from './usage';

/** The range the page shows when the URL names none: the server's default usage span. */
const DEFAULT_USAGE_FROM = 'now-30d';

const money = (v: number, currency: string) => `${currency} ${v.toFixed(2)}`;

export function UsagePage({
  api,
  query,
  jsonData,
}: {
  api: AppApi;
  query: UrlQueryMap;
  jsonData: AppJsonData;
}) {
  const styles = useStyles2(getStyles);
  const range = rangeFromQuery({ from: DEFAULT_USAGE_FROM, ...query });
  const [tiers, setTiers] = useState<CostTier[] | undefined>(jsonData.usageTiers);
  const [currency, setCurrency] = useState(jsonData.usageCurrency ?? 'USD');
  const usage = useAsync(
    () =>
      api
        .get<{ items: UsageDay[] }>('/api/v1/usage', { from: range.from.valueOf(), to: range.to.valueOf() })
        .then((r) => r.items),
    [api, range.raw.from, range.raw.to],
  );
  const table = usage.value ? usageTable(usage.value) : undefined;
  const estimate =
    usage.value && tiers?.length && !tiersProblem(tiers) ? costEstimate(usage.value, tiers) : undefined;
  return (
    <div>
      <Stack justifyContent="space-between" alignItems="center">
        <p className={styles.muted}>Page views per UTC day and application: the unit the estimate prices.</p>
        <TimeControls range={range} onRefresh={usage.reload} />
      </Stack>
      {usage.error && <Alert severity="error" title={usage.error.message} />}
      {usage.loading && !usage.value && <LoadingPlaceholder text="Loading usage..." />}
      {table && table.apps.length === 0 && <Alert severity="info" title="No usage in this time range" />}
      {table && table.apps.length > 0 && (
        <>
          <table className={styles.table} data-testid="usage-totals">
            <thead>
              <tr>
                <th>Application</th>
                <th>Page views</th>
                <th>Sessions (per day, summed)</th>
                <th>Replay minutes</th>
                {estimate && <th>Estimated cost</th>}
              </tr>
            </thead>
            <tbody>
              {table.totals.map((t) => (
                <tr key={t.appId} data-testid="usage-app" data-app={t.appId} data-page-views={t.pageViews}>
                  <td>{t.appId}</td>
                  <td>{t.pageViews.toLocaleString()}</td>
                  <td>{t.sessions.toLocaleString()}</td>
                  <td>{Math.round(t.replayMinutes * 10) / 10}</td>
                  {estimate && <td>{money(estimate.byApp.get(t.appId) ?? 0, currency)}</td>}
                </tr>
              ))}
            </tbody>
          </table>
          {estimate && (
            <p data-testid="usage-estimate">
              Estimated cost over the range: <strong>{money(estimate.total, currency)}</strong> (
              {estimate.perMonth
                .map(
                  (m) => `${m.month}: ${m.pageViews.toLocaleString()} page views, ${money(m.cost, currency)}`,
                )
                .join('; ')}
              ). Tiers are graduated per calendar month over every application&apos;s page views; a month only
              partly in the range is priced on its part.
            </p>
          )}
          <h4>Page views per day</h4>
          <table className={styles.table} data-testid="usage-days">
            <thead>
              <tr>
                <th>Day (UTC)</th>
                {table.apps.map((a) => (
                  <th key={a}>{a}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {table.rows.map((r) => (
                <tr key={r.day}>
                  <td>{r.day}</td>
                  {r.pageViews.map((v, i) => (
                    <td key={table.apps[i]}>
                      <div className={styles.barTrack}>
                        <div
                          className={styles.bar}
                          style={{
                            width: `${(v / Math.max(1, ...table.rows.flatMap((x) => x.pageViews))) * 100}%`,
                          }}
                        />
                        <span className={styles.barText}>{v.toLocaleString()}</span>
                      </div>
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <TierEditor
        tiers={tiers}
        currency={currency}
        onSaved={(t, c) => {
          setTiers(t);
          setCurrency(c);
        }}
      />
    </div>
  );
}

/** The admin's price tiers, saved into the app's jsonData (the rest of it kept as it is). */
export function TierEditor({
  tiers,
  currency,
  onSaved,
}: {
  tiers?: CostTier[];
  currency: string;
  onSaved: (tiers: CostTier[], currency: string) => void;
}) {
  const manage = canDo('manage');
  const [draft, setDraft] = useState(() =>
    (tiers ?? [{ upTo: null, pricePer1000: 0 }]).map((t) => ({
      upTo: t.upTo === null ? '' : String(t.upTo),
      price: String(t.pricePer1000),
    })),
  );
  const [cur, setCur] = useState(currency);
  const [message, setMessage] = useState<{ ok: boolean; text: string }>();
  const parsed: CostTier[] = draft.map((d) => ({
    upTo: d.upTo.trim() === '' ? null : Number(d.upTo),
    pricePer1000: d.price.trim() === '' ? NaN : Number(d.price),
  }));
  const problem = tiersProblem(parsed);
  if (!manage)
    return tiers?.length ? null : <p>No price tiers yet: an admin sets them here to see a cost estimate.</p>;
  const save = async () => {
    if (problem) return setMessage({ ok: false, text: problem });
    try {
      const url = `/api/plugins/${APP_PLUGIN_ID}/settings`;
      const current = await getBackendSrv().get<{
        enabled: boolean;
        pinned: boolean;
        jsonData?: AppJsonData;
      }>(url);
      await lastValueFrom(
        getBackendSrv().fetch({
          url,
          method: 'POST',
          data: {
            enabled: current.enabled,
            pinned: current.pinned,
            jsonData: { ...current.jsonData, usageTiers: parsed, usageCurrency: cur.trim() || 'USD' },
          },
          showErrorAlert: false,
        }),
      );
      onSaved(parsed, cur.trim() || 'USD');
      setMessage({ ok: true, text: 'Saved in the app settings' });
    } catch (e) {
      setMessage({
        ok: false,
        text: `Grafana did not save the tiers: ${
          isFetchError(e) ? ((e.data as { message?: string })?.message ?? e.status) : String(e)
        }`,
      });
    }
  };
  return (
    <div data-testid="tier-editor">
      <h4>Price tiers (per calendar month, per 1,000 page views)</h4>
      <Field label="Currency">
        <Input id="usage-currency" width={10} value={cur} onChange={(e) => setCur(e.currentTarget.value)} />
      </Field>
      {draft.map((d, i) => (
        <Stack key={i} gap={1} alignItems="center" data-testid="tier">
          <span>Tier {i + 1}: up to</span>
          <Input
            aria-label={`Tier ${i + 1} up to`}
            width={16}
            placeholder={i === draft.length - 1 ? 'no bound' : ''}
            value={d.upTo}
            onChange={(e) =>
              setDraft(draft.map((x, j) => (j === i ? { ...x, upTo: e.currentTarget.value } : x)))
            }
          />
          <span>page views at</span>
          <Input
            aria-label={`Tier ${i + 1} price`}
            width={12}
            value={d.price}
            onChange={(e) =>
              setDraft(draft.map((x, j) => (j === i ? { ...x, price: e.currentTarget.value } : x)))
            }
          />
          <span>per 1,000</span>
          <IconButton
            name="trash-alt"
            tooltip="Remove the tier"
            disabled={draft.length === 1}
            onClick={() => setDraft(draft.filter((_, j) => j !== i))}
          />
        </Stack>
      ))}
      <Stack gap={1}>
        <Button variant="secondary" icon="plus" onClick={() => setDraft([...draft, { upTo: '', price: '' }])}>
          Add tier
        </Button>
        <Button onClick={save} data-testid="tiers-save">
          Save tiers
        </Button>
      </Stack>
      {message && (
        <Alert severity={message.ok ? 'success' : 'error'} title={message.text} data-testid="tiers-outcome" />
      )}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  muted: css({ color: theme.colors.text.secondary }),
  table: css({
    width: '100%',
    marginBottom: theme.spacing(2),
    'th, td': { padding: theme.spacing(0.5, 1), borderBottom: `1px solid ${theme.colors.border.weak}` },
  }),
  barTrack: css({
    position: 'relative',
    height: 20,
    minWidth: 120,
    background: theme.colors.background.secondary,
  }),
  bar: css({
    position: 'absolute',
    inset: 0,
    right: 'auto',
    background: theme.colors.primary.main,
    opacity: 0.6,
  }),
  barText: css({ position: 'relative', paddingLeft: theme.spacing(1), lineHeight: '20px' }),
});
