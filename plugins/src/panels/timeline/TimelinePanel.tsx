import React, { useMemo } from 'react';
import { css } from '@emotion/css';
import { LoadingState, type GrafanaTheme2, type PanelProps } from '@grafana/data';
import { useStyles2, useTheme2 } from '@grafana/ui';
import { timelineEvents, type TimelineEvent } from './events';
import type { TimelineOptions } from './options';

/** Colour of each kind of event, by Grafana's palette names, so that both themes draw it. */
const KIND_COLORS: Record<string, string> = {
  view: 'blue',
  resource: 'purple',
  action: 'green',
  error: 'red',
  long_task: 'orange',
  web_vital: 'yellow',
};

function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`;
}

export function TimelinePanel({ data, options, width, height }: PanelProps<TimelineOptions>) {
  const styles = useStyles2(getStyles);
  const theme = useTheme2();
  const { events, unreadable } = useMemo(() => timelineEvents(data.series), [data.series]);
  const shown = useMemo(
    () =>
      events
        .filter((e) => !options.kinds?.length || options.kinds.includes(e.kind))
        .slice(0, options.maxRows ?? 500),
    [events, options.kinds, options.maxRows],
  );

  if (data.state === LoadingState.Error && !data.series.length)
    return (
      <div className={styles.message} data-testid="timeline-error">
        {data.errors?.[0]?.message ?? data.error?.message ?? 'The query failed'}
      </div>
    );
  if (!events.length && unreadable)
    return (
      <div className={styles.message} data-testid="timeline-error">
        This panel reads otel-rum events: use the query types Events (filtered on a session or a view) or
        Session timeline
      </div>
    );
  if (!shown.length)
    return (
      <div className={styles.message} data-testid="timeline-empty">
        No events to show: choose a session (or a view) with events in this time range
      </div>
    );

  const start = shown[0]!.time;
  const end = Math.max(...shown.map((e) => e.time + e.duration), start + 1);
  const span = end - start;
  const color = (e: TimelineEvent) =>
    theme.visualization.getColorByName(e.error ? 'red' : (KIND_COLORS[e.kind] ?? 'text'));
  return (
    <div className={styles.wrap} style={{ width, height }} data-testid="timeline-panel">
      <div className={styles.axis}>
        <span>0</span>
        <span>{formatMs(span / 2)}</span>
        <span>{formatMs(span)}</span>
      </div>
      {shown.map((e, i) => {
        const left = ((e.time - start) / span) * 100;
        const w = Math.max((e.duration / span) * 100, 0.4);
        const label = `${e.kind} ${e.text}${e.duration ? ` (${formatMs(e.duration)})` : ''} at +${formatMs(e.time - start)}`;
        return (
          <div key={i} className={styles.row} data-kind={e.kind} title={label}>
            <span className={styles.kind} style={{ color: color(e) }}>
              {e.kind.replace('_', ' ')}
            </span>
            <span className={styles.text}>
              {e.traceLink ? (
                <a
                  href={e.traceLink.href}
                  target={e.traceLink.target}
                  onClick={e.traceLink.onClick}
                  className={styles.link}
                >
                  {e.text}
                </a>
              ) : (
                e.text
              )}
            </span>
            <span className={styles.track}>
              <span
                className={styles.bar}
                style={{
                  left: `${Math.min(left, 99.6)}%`,
                  width: `${Math.min(w, 100 - left)}%`,
                  background: color(e),
                }}
              />
            </span>
            <span className={styles.duration}>{e.duration ? formatMs(e.duration) : ''}</span>
          </div>
        );
      })}
      {shown.length < events.length && (
        <div className={styles.more}>
          {events.length - shown.length} more events not shown (kinds filtered out, or past the row limit)
        </div>
      )}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  wrap: css({ overflow: 'auto', fontSize: theme.typography.bodySmall.fontSize, padding: theme.spacing(0.5) }),
  axis: css({
    display: 'flex',
    justifyContent: 'space-between',
    marginLeft: '45%',
    marginRight: 64,
    color: theme.colors.text.secondary,
    borderBottom: `1px solid ${theme.colors.border.weak}`,
  }),
  row: css({
    display: 'grid',
    gridTemplateColumns: '80px calc(45% - 80px) 1fr 64px',
    alignItems: 'center',
    minHeight: 20,
    '&:hover': { background: theme.colors.action.hover },
  }),
  kind: css({ fontWeight: theme.typography.fontWeightMedium, whiteSpace: 'nowrap' }),
  text: css({
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
    paddingRight: theme.spacing(1),
  }),
  link: css({ color: theme.colors.text.link }),
  track: css({ position: 'relative', height: 10 }),
  bar: css({ position: 'absolute', top: 0, height: '100%', borderRadius: 2, minWidth: 2 }),
  duration: css({ textAlign: 'right', color: theme.colors.text.secondary }),
  more: css({ color: theme.colors.text.secondary, padding: theme.spacing(1) }),
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
