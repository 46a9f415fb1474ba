import React, { useMemo } from 'react';
import { css } from '@emotion/css';
import { LoadingState, type GrafanaTheme2, type PanelProps } from '@grafana/data';
import { useStyles2, useTheme2 } from '@grafana/ui';
import { WEB_VITAL_THRESHOLDS, type WebVitalName, type WebVitalRating } from '@otel-rum/model';
import { formatVital, RATINGS, vitalsTable, VitalsFrameError, type GroupSummary } from './vitals';
import type { WebVitalsOptions } from './options';

const LABELS: Record<WebVitalName, string> = { lcp: 'LCP', inp: 'INP', cls: 'CLS', fcp: 'FCP', ttfb: 'TTFB' };
const RATING_LABELS: Record<WebVitalRating, string> = {
  good: 'good',
  'needs-improvement': 'needs improvement',
  poor: 'poor',
};
const RATING_COLORS: Record<WebVitalRating, string> = {
  good: 'green',
  'needs-improvement': 'orange',
  poor: 'red',
};

export function WebVitalsPanel({ data, options, width, height }: PanelProps<WebVitalsOptions>) {
  const styles = useStyles2(getStyles);
  const theme = useTheme2();
  const color = (r: WebVitalRating) => theme.visualization.getColorByName(RATING_COLORS[r]);
  const vitals = options.vitals?.length ? options.vitals : (['lcp', 'inp', 'cls'] as WebVitalName[]);
  const result = useMemo(() => {
    try {
      return {
        table: vitalsTable(data.series, {
          percentile: options.percentile ?? 75,
          groupBy: options.groupBy ?? '',
          vitals,
        }),
      };
    } catch (e) {
      if (e instanceof VitalsFrameError) return { error: e.message };
      throw e;
    }
  }, [data.series, options.percentile, options.groupBy, vitals]);

  if (data.state === LoadingState.Error && !data.series.length)
    return (
      <div className={styles.message} data-testid="webvitals-error">
        {data.errors?.[0]?.message ?? data.error?.message ?? 'The query failed'}
      </div>
    );
  if (result.error)
    return (
      <div className={styles.message} data-testid="webvitals-error">
        {result.error}
      </div>
    );
  const table = result.table!;
  if (!table.measurements)
    return (
      <div className={styles.message} data-testid="webvitals-empty">
        No web vitals in this time range
      </div>
    );

  const rows: GroupSummary[] = [table.total, ...table.groups.slice(0, options.maxGroups ?? 20)];
  const cell = (row: GroupSummary, name: WebVitalName) => {
    const s = row.vitals[name];
    if (!s)
      return (
        <td key={name} className={styles.cell}>
          –
        </td>
      );
    const [good, poor] = WEB_VITAL_THRESHOLDS[name];
    const title = `${LABELS[name]} p${options.percentile}: ${formatVital(name, s.value)} (${RATING_LABELS[s.rating]}; good ≤ ${formatVital(name, good)}, poor > ${formatVital(name, poor)}) over ${s.count} page views: ${RATINGS.map((r) => `${RATING_LABELS[r]} ${Math.round(s.shares[r] * 100)}%`).join(', ')}`;
    return (
      <td key={name} className={styles.cell} title={title} data-vital={name} data-rating={s.rating}>
        <span className={styles.value} style={{ color: color(s.rating) }}>
          {formatVital(name, s.value)}
        </span>
        {options.showDistribution !== false && (
          <div className={styles.bar} aria-label={`${LABELS[name]} distribution`}>
            {RATINGS.map((r) =>
              s.shares[r] > 0 ? (
                <div
                  key={r}
                  data-band={r}
                  style={{ width: `${s.shares[r] * 100}%`, background: color(r) }}
                  className={styles.segment}
                />
              ) : null,
            )}
          </div>
        )}
      </td>
    );
  };
  return (
    <div className={styles.wrap} style={{ width, height }} data-testid="webvitals-panel">
      <table className={styles.table}>
        <thead>
          <tr>
            <th className={styles.head}>{options.groupBy || ''}</th>
            {vitals.map((v) => (
              <th key={v} className={styles.head}>
                {LABELS[v]} p{options.percentile}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            <tr key={`${i}-${row.group}`} className={i === 0 ? styles.total : undefined}>
              <th className={styles.group} scope="row" title={`${row.count} measurements`}>
                {row.group}
              </th>
              {vitals.map((v) => cell(row, v))}
            </tr>
          ))}
        </tbody>
      </table>
      <div className={styles.legend}>
        {RATINGS.map((r) => (
          <span key={r}>
            <span className={styles.swatch} style={{ background: color(r) }} /> {RATING_LABELS[r]}
          </span>
        ))}
        {table.sampled && (
          <span data-testid="webvitals-sampled">
            based on the latest {table.measurements} measurements (one page of events)
          </span>
        )}
      </div>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  wrap: css({ overflow: 'auto', fontSize: theme.typography.bodySmall.fontSize }),
  table: css({ width: '100%', borderCollapse: 'collapse' }),
  head: css({
    textAlign: 'left',
    color: theme.colors.text.secondary,
    fontWeight: theme.typography.fontWeightMedium,
    padding: theme.spacing(0.5, 1),
    borderBottom: `1px solid ${theme.colors.border.weak}`,
  }),
  group: css({
    textAlign: 'left',
    fontWeight: theme.typography.fontWeightRegular,
    padding: theme.spacing(0.5, 1),
    maxWidth: 260,
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
  }),
  total: css({ background: theme.colors.background.secondary, fontWeight: theme.typography.fontWeightBold }),
  cell: css({ padding: theme.spacing(0.5, 1), minWidth: 90 }),
  value: css({ fontWeight: theme.typography.fontWeightMedium, fontSize: theme.typography.body.fontSize }),
  bar: css({
    display: 'flex',
    height: 4,
    marginTop: 2,
    borderRadius: theme.shape.radius.default,
    overflow: 'hidden',
    background: theme.colors.background.secondary,
  }),
  segment: css({ height: '100%' }),
  legend: css({
    display: 'flex',
    gap: theme.spacing(2),
    padding: theme.spacing(1),
    color: theme.colors.text.secondary,
  }),
  swatch: css({ display: 'inline-block', width: 10, height: 10, borderRadius: 2 }),
  message: css({
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'center',
    height: '100%',
    color: theme.colors.text.secondary,
    textAlign: 'center',
    padding: theme.spacing(2),
  }),
});
