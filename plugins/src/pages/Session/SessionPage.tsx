/*
 * One session: who and on what (user, device, browser, country, version, environment), its replay in
 * step with its timeline of every event (a click on an event moves the player there; the event being
 * played is highlighted), each view's waterfall (resources, long tasks, errors, actions on one time
 * axis), and the backend trace behind each traced request.
 */
import React, { useEffect, useMemo, useRef, useState } from 'react';
import { css } from '@emotion/css';
import { dateTimeFormat, type GrafanaTheme2, type UrlQueryMap } from '@grafana/data';
import {
  Alert,
  Badge,
  Button,
  IconButton,
  LinkButton,
  LoadingPlaceholder,
  Stack,
  useStyles2,
} from '@grafana/ui';
import { locationService } from '@grafana/runtime';
import type { AppApi } from '../../shared/appApi';
import { appUrl, queryText } from '../../shared/location';
import { traceExploreUrl } from '../../shared/explore';
import { useAsync } from '../../shared/useAsync';
import { canDo } from '../../shared/settings';
import { RumApiError } from '../../datasource/api';
import type { EventItem, SessionItem } from '../../datasource/frames/types';
import { TIMELINE_KINDS } from '../../panels/timeline/events';
import { ReplayPlayer } from '../../components/ReplayPlayer/ReplayPlayer';
import { currentIndex, replayPage, timelineMarkers } from '../../components/ReplayPlayer/recording';

/** Height of the replay player on the session page, px. */
const PLAYER_HEIGHT = 460;

const KIND_COLORS: Record<string, 'blue' | 'green' | 'red' | 'orange' | 'purple' | 'darkgrey'> = {
  view: 'blue',
  action: 'green',
  error: 'red',
  long_task: 'orange',
  resource: 'purple',
  web_vital: 'darkgrey',
};

/**
 * Events of each view in time order, with where each sits on the view's time axis (0..1). A view may
 * be recorded more than once (at its start, then with its duration when it ends): one waterfall per
 * view id, starting at its first record, lasting as long as its longest.
 */
export function waterfalls(events: EventItem[]) {
  const byView = new Map<string, EventItem[]>();
  for (const e of events)
    if (e.kind === 'view') byView.set(e.viewId ?? e.id, [...(byView.get(e.viewId ?? e.id) ?? []), e]);
  return [...byView.entries()].map(([viewId, records]) => {
    const start = Math.min(...records.map((r) => Date.parse(r.time)));
    const view = records.reduce((a, b) => ((b.durationMs ?? 0) > (a.durationMs ?? 0) ? b : a));
    const members = events.filter((e) => e.viewId === viewId && e.kind !== 'view');
    const end = Math.max(
      start + (view.durationMs ?? 0),
      ...members.map((e) => Date.parse(e.time) + (e.durationMs ?? 0)),
      start + 1,
    );
    const span = end - start;
    return {
      view,
      spanMs: span,
      bars: members.map((e) => ({
        event: e,
        left: Math.max(0, (Date.parse(e.time) - start) / span),
        width: Math.max(0.004, (e.durationMs ?? 0) / span),
      })),
    };
  });
}

/** Makes a journey of the session's views in order (the server's from-session), then opens its funnel. */
function JourneyFromSession({ api, sessionId, appId }: { api: AppApi; sessionId: string; appId: string }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  return (
    <div>
      <Button
        icon="sitemap"
        variant="secondary"
        disabled={busy}
        data-testid="journey-from-session"
        onClick={async () => {
          setBusy(true);
          setError(undefined);
          try {
            const j = await api.journeyFromSession(sessionId, { appId });
            locationService.push(appUrl('journeys', { journey: j.id }));
          } catch (e) {
            setError(e instanceof RumApiError || e instanceof Error ? e.message : String(e));
            setBusy(false);
          }
        }}
      >
        Make a journey of this session
      </Button>
      {error && (
        <Alert severity="error" title="No journey made">
          {error}
        </Alert>
      )}
    </div>
  );
}

/**
 * The session's replay beside its timeline, kept in step: a click on an event (or its play button)
 * moves the player to it, and the event at the player's position is highlighted and kept in view.
 * Without a recording, the timeline alone.
 */
function ReplayAndTimeline({
  api,
  session: s,
  items,
}: {
  api: AppApi;
  session: SessionItem;
  items: EventItem[];
}) {
  const styles = useStyles2(getStyles);
  const t0 = Date.parse(s.start);
  const times = useMemo(() => items.map((e) => Date.parse(e.time)), [items]);
  const markers = useMemo(() => timelineMarkers(items), [items]);
  const [seek, setSeek] = useState<{ at: number }>();
  const [position, setPosition] = useState<number>();
  const [speed, setSpeed] = useState(1);
  const [skipInactive, setSkipInactive] = useState(true);
  const [width, setWidth] = useState(640);
  const box = useRef<HTMLDivElement>(null);
  const list = useRef<HTMLDivElement>(null);
  const current = s.hasReplay && position !== undefined ? currentIndex(times, position) : -1;

  // The player takes the left part of the page's width.
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const measure = () => setWidth(Math.max(320, Math.floor(el.clientWidth * 0.55)));
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const o = new ResizeObserver(measure);
    o.observe(el);
    return () => o.disconnect();
  }, []);

  // The event being played stays in view in the timeline's own scroll (not the page's).
  useEffect(() => {
    const c = list.current;
    const row = c?.querySelector<HTMLElement>('tr[data-current="true"]');
    if (!c || !row) return;
    if (row.offsetTop < c.scrollTop || row.offsetTop + row.offsetHeight > c.scrollTop + c.clientHeight)
      c.scrollTop = row.offsetTop - c.clientHeight / 2;
  }, [current]);

  const jumpTo = (e: EventItem) => {
    const at = Date.parse(e.time);
    setSeek({ at });
    setPosition(at);
  };
  return (
    <div ref={box} className={s.hasReplay ? styles.replayRow : undefined}>
      {s.hasReplay && (
        <ReplayPlayer
          sessionId={s.sessionId}
          sourceKey={s.appId}
          load={(cursor) => replayPage((path, params) => api.get(path, params), s.sessionId, s.appId, cursor)}
          markers={markers}
          width={width}
          height={PLAYER_HEIGHT}
          speed={speed}
          skipInactive={skipInactive}
          onSpeedChange={setSpeed}
          onSkipInactiveChange={setSkipInactive}
          seek={seek}
          onPosition={setPosition}
        />
      )}
      <div
        ref={list}
        className={s.hasReplay ? styles.timelineScroll : undefined}
        style={s.hasReplay ? { height: PLAYER_HEIGHT } : undefined}
      >
        <table className={styles.timeline} data-testid="session-timeline">
          <tbody>
            {items.map((e, i) => {
              const trace = e.traceId ? traceExploreUrl(e.traceId) : undefined;
              return (
                <tr
                  key={e.id}
                  data-kind={e.kind}
                  data-current={i === current || undefined}
                  className={i === current ? styles.current : undefined}
                >
                  <td className={styles.offset}>
                    {s.hasReplay && (
                      <IconButton
                        name="play"
                        size="sm"
                        aria-label={`Play the replay from ${e.kind} ${e.label ?? e.name}`}
                        data-testid="timeline-seek"
                        onClick={() => jumpTo(e)}
                      />
                    )}
                    +{((Date.parse(e.time) - t0) / 1000).toFixed(2)} s
                  </td>
                  <td>
                    <Badge color={KIND_COLORS[e.kind] ?? 'darkgrey'} text={e.kind} />
                  </td>
                  <td>{e.label ?? e.name}</td>
                  <td className={styles.label}>{e.path ?? e.url}</td>
                  <td>{e.durationMs !== null ? `${Math.round(e.durationMs)} ms` : ''}</td>
                  <td>
                    {e.fingerprint && (
                      <a href={appUrl(`issues/${e.fingerprint}`, { app_id: s.appId })}>issue</a>
                    )}
                    {e.traceId && (
                      <LinkButton
                        size="sm"
                        fill="text"
                        icon="gf-traces"
                        href={trace ?? '#'}
                        disabled={!trace}
                        data-testid="trace-link"
                        data-trace-id={e.traceId}
                        tooltip={
                          trace
                            ? 'The backend trace behind this request'
                            : 'Add an otel-rum data source to open traces'
                        }
                      >
                        trace
                      </LinkButton>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}

export function SessionPage({
  api,
  sessionId,
  query,
}: {
  api: AppApi;
  sessionId: string;
  query: UrlQueryMap;
}) {
  const styles = useStyles2(getStyles);
  const appId = queryText(query, 'app_id') || undefined;
  const data = useAsync(
    () =>
      Promise.all([
        api.get<SessionItem>(`/api/v1/sessions/${encodeURIComponent(sessionId)}`, { app_id: appId }),
        api.get<{ items: EventItem[] }>(`/api/v1/sessions/${encodeURIComponent(sessionId)}/timeline`, {
          app_id: appId,
        }),
      ]),
    [api, sessionId, appId],
  );
  if (data.error) return <Alert severity="error" title={data.error.message} />;
  if (!data.value) return <LoadingPlaceholder text="Loading the session..." />;
  const [s, timeline] = data.value;
  // What the user lived through, as the timeline panel shows it (not how the recording travelled).
  const items = timeline.items.filter((e) => (TIMELINE_KINDS as readonly string[]).includes(e.kind));
  return (
    <div data-testid="session-page">
      <Stack justifyContent="space-between" alignItems="center">
        <h2>Session {s.sessionId}</h2>
        {canDo('manage') && <JourneyFromSession api={api} sessionId={s.sessionId} appId={s.appId} />}
      </Stack>
      <div className={styles.facts} data-testid="session-facts">
        {[
          ['Application', s.appId],
          ['Start', dateTimeFormat(s.start)],
          ['Duration', `${Math.round(s.durationMs / 100) / 10} s`],
          ['User', s.userId ?? 'anonymous'],
          ['Device', s.device],
          ['Browser', s.browser],
          ['OS', s.os],
          ['Country', s.country],
          ['Version', s.serviceVersion],
          ['Environment', s.environment],
          ['Views / actions / errors', `${s.viewCount} / ${s.actionCount} / ${s.errorCount}`],
        ].map(([k, v]) => (
          <div key={k}>
            <div className={styles.label}>{k}</div>
            <div>{v ?? '—'}</div>
          </div>
        ))}
      </div>
      <h3>Views</h3>
      {waterfalls(items).map((w) => (
        <div key={w.view.id} className={styles.view} data-testid="view-waterfall">
          <Stack justifyContent="space-between">
            <strong>{w.view.path ?? w.view.name}</strong>
            <span className={styles.label}>{Math.round(w.spanMs)} ms shown</span>
          </Stack>
          {w.bars.map((b) => (
            <div key={b.event.id} className={styles.row}>
              <div className={styles.rowLabel} title={b.event.label ?? b.event.url ?? b.event.name}>
                {b.event.kind}: {b.event.label ?? b.event.name}
              </div>
              <div className={styles.axis}>
                <div
                  className={styles.bar}
                  data-kind={b.event.kind}
                  style={{ left: `${b.left * 100}%`, width: `${Math.min(b.width, 1 - b.left) * 100}%` }}
                  title={`${b.event.durationMs ?? 0} ms`}
                />
              </div>
            </div>
          ))}
        </div>
      ))}
      <h3>{s.hasReplay ? 'Replay and timeline' : 'Timeline'}</h3>
      <ReplayAndTimeline api={api} session={s} items={items} />
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  facts: css({
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(160px, 1fr))',
    gap: theme.spacing(2),
    marginBottom: theme.spacing(2),
  }),
  label: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
  view: css({
    border: `1px solid ${theme.colors.border.weak}`,
    padding: theme.spacing(1),
    marginBottom: theme.spacing(1),
  }),
  row: css({ display: 'flex', alignItems: 'center', gap: theme.spacing(1), height: 20 }),
  rowLabel: css({
    width: 280,
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
    fontSize: 12,
  }),
  axis: css({ position: 'relative', flexGrow: 1, height: 10, background: theme.colors.background.secondary }),
  bar: css({
    position: 'absolute',
    top: 0,
    height: 10,
    background: theme.colors.primary.main,
    '&[data-kind="error"]': { background: theme.colors.error.main },
    '&[data-kind="long_task"]': { background: theme.colors.warning.main },
    '&[data-kind="action"]': { background: theme.colors.success.main },
  }),
  replayRow: css({ display: 'flex', gap: theme.spacing(2), alignItems: 'flex-start' }),
  timelineScroll: css({ flex: 1, minWidth: 0, overflowY: 'auto', position: 'relative' }),
  offset: css({
    color: theme.colors.text.secondary,
    fontSize: theme.typography.bodySmall.fontSize,
    whiteSpace: 'nowrap',
  }),
  current: css({ background: theme.colors.action.selected }),
  timeline: css({
    width: '100%',
    td: { padding: theme.spacing(0.5, 1), borderBottom: `1px solid ${theme.colors.border.weak}` },
  }),
});
