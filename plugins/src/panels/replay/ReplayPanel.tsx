import React, { useEffect, useRef, useState } from 'react';
import { css } from '@emotion/css';
import { LoadingState, type GrafanaTheme2, type PanelProps } from '@grafana/data';
import { Button, RadioButtonGroup, Switch, useStyles2, useTheme2 } from '@grafana/ui';
import { Replayer } from 'rrweb';
import { replayPage, rumDataSource, sessionFromFrames, sessionMarkers, type Marker } from './source';
import { SPEEDS, type ReplayOptions } from './options';

type Status = { state: 'loading' | 'ready' | 'empty' | 'error'; message?: string };

const MARKER_COLORS: Record<Marker['kind'], string> = { error: 'red', action: 'green', view: 'blue' };
/** Height of the controls under the player, px. */
const CONTROLS_HEIGHT = 64;

export function ReplayPanel({
  data,
  options,
  width,
  height,
  replaceVariables,
  onOptionsChange,
}: PanelProps<ReplayOptions>) {
  const styles = useStyles2(getStyles);
  const theme = useTheme2();
  const stage = useRef<HTMLDivElement>(null);
  const player = useRef<Replayer | null>(null);
  const [status, setStatus] = useState<Status>({ state: 'loading' });
  const [markers, setMarkers] = useState<Marker[]>([]);
  const [span, setSpan] = useState({ start: 0, total: 0 });
  const [now, setNow] = useState(0);
  const [playing, setPlaying] = useState(false);
  const [loadedPages, setLoadedPages] = useState(0);

  const fromFrames = sessionFromFrames(data.series);
  const sessionId = replaceVariables(options.sessionId ?? '').trim() || fromFrames.sessionId || '';
  const appId = replaceVariables(options.appId ?? '').trim() || fromFrames.appId || '';
  const dsRef = data.request?.targets?.[0]?.datasource;

  useEffect(() => {
    if (!sessionId) {
      setStatus({
        state: 'empty',
        message: 'Choose a session: set its id in the options, or query sessions',
      });
      return;
    }
    let cancelled = false;
    setStatus({ state: 'loading' });
    setLoadedPages(0);
    (async () => {
      const ds = await rumDataSource(dsRef);
      let page;
      try {
        page = await replayPage(ds, sessionId, appId);
      } catch (e) {
        if ((e as { status?: number }).status === 404) {
          if (!cancelled) setStatus({ state: 'empty', message: `Session ${sessionId} has no recording` });
          return;
        }
        throw e;
      }
      const events = page.segments.flatMap((s) => s.events);
      const start = page.segments.findIndex((s) => s.hasFullSnapshot);
      if (start < 0 || !events.length) {
        if (!cancelled)
          setStatus({
            state: 'empty',
            message: `The recording of session ${sessionId} has no full snapshot to start from`,
          });
        return;
      }
      if (cancelled || !stage.current) return;
      stage.current.innerHTML = '';
      const playable = page.segments.slice(start).flatMap((s) => s.events);
      const r = new Replayer(playable as never, {
        root: stage.current,
        skipInactive: options.skipInactive ?? true,
        speed: options.speed ?? 1,
        showWarning: false,
        mouseTail: false,
        triggerFocus: false,
        insertStyleRules: [],
      });
      player.current = r;
      r.on('finish', () => setPlaying(false));
      const meta = r.getMetaData();
      setSpan({ start: meta.startTime, total: meta.totalTime });
      setStatus({ state: 'ready' });
      setLoadedPages(1);
      r.pause(0);
      sessionMarkers(ds, sessionId, appId).then(
        (m) => !cancelled && setMarkers(m),
        () => undefined,
      );
      // The rest of the recording, page by page, added to the player as it arrives.
      let cursor = page.nextCursor;
      let pages = 1;
      while (cursor && !cancelled) {
        const next = await replayPage(ds, sessionId, appId, cursor);
        for (const e of next.segments.flatMap((s) => s.events)) r.addEvent(e as never);
        cursor = next.nextCursor;
        setLoadedPages(++pages);
        const m = r.getMetaData();
        setSpan({ start: m.startTime, total: m.totalTime });
      }
    })().catch((e) => {
      if (!cancelled)
        setStatus({
          state: 'error',
          message:
            e instanceof Error
              ? e.message
              : ((e as { data?: { message?: string } })?.data?.message ?? String(e)),
        });
    });
    return () => {
      cancelled = true;
      player.current?.destroy();
      player.current = null;
      setPlaying(false);
    };
    // Speed and inactivity skipping are applied to the running player below, without reloading.
  }, [sessionId, appId, JSON.stringify(dsRef)]);

  useEffect(() => {
    player.current?.setConfig({ speed: options.speed ?? 1, skipInactive: options.skipInactive ?? true });
  }, [options.speed, options.skipInactive]);

  useEffect(() => {
    if (!playing) return;
    const t = setInterval(() => setNow(player.current?.getCurrentTime() ?? 0), 200);
    return () => clearInterval(t);
  }, [playing]);

  // The recorded page scaled into the panel.
  useEffect(() => {
    const r = player.current;
    if (!r || status.state !== 'ready') return;
    const w = Number(r.iframe.width) || 1;
    const h = Number(r.iframe.height) || 1;
    const scale = Math.min(width / w, (height - CONTROLS_HEIGHT) / h, 1);
    r.wrapper.style.transform = `scale(${scale})`;
    r.wrapper.style.transformOrigin = 'top left';
  }, [width, height, status.state, loadedPages]);

  const seek = (ms: number) => {
    setNow(ms);
    if (playing) player.current?.play(ms);
    else player.current?.pause(ms);
  };
  const toggle = () => {
    if (!player.current) return;
    if (playing) player.current.pause();
    else player.current.play(now >= span.total ? 0 : now);
    setPlaying(!playing);
  };

  if (data.state === LoadingState.Error && !sessionId)
    return (
      <div className={styles.message} data-testid="replay-error">
        {data.errors?.[0]?.message ?? 'The query failed'}
      </div>
    );
  return (
    <div
      className={styles.wrap}
      style={{ width, height }}
      data-testid="replay-panel"
      data-status={status.state}
    >
      <div className={styles.stage} style={{ height: height - CONTROLS_HEIGHT }}>
        <div ref={stage} className={styles.root} data-testid="replay-stage" />
        {status.state !== 'ready' && (
          <div className={styles.message} data-testid={`replay-${status.state}`}>
            {status.state === 'loading' ? `Loading the recording of ${sessionId}…` : status.message}
          </div>
        )}
      </div>
      <div className={styles.controls} style={{ height: CONTROLS_HEIGHT }}>
        <div className={styles.track} data-testid="replay-track">
          <div
            className={styles.progress}
            style={{ width: `${span.total ? (Math.min(now, span.total) / span.total) * 100 : 0}%` }}
          />
          {markers
            .filter((m) => span.total && m.time >= span.start && m.time <= span.start + span.total)
            .map((m, i) => (
              <button
                key={i}
                type="button"
                className={styles.marker}
                data-marker={m.kind}
                title={`${m.kind}: ${m.label}`}
                aria-label={`${m.kind}: ${m.label}`}
                style={{
                  left: `${((m.time - span.start) / span.total) * 100}%`,
                  background: theme.visualization.getColorByName(MARKER_COLORS[m.kind]),
                }}
                onClick={() => seek(m.time - span.start)}
              />
            ))}
        </div>
        <div className={styles.buttons}>
          <Button
            size="sm"
            variant="secondary"
            icon={playing ? 'pause' : 'play'}
            onClick={toggle}
            disabled={status.state !== 'ready'}
          >
            {playing ? 'Pause' : 'Play'}
          </Button>
          <RadioButtonGroup
            size="sm"
            value={options.speed ?? 1}
            options={SPEEDS.map((s) => ({ value: s, label: `${s}x` }))}
            onChange={(speed) => onOptionsChange({ ...options, speed })}
          />
          <label className={styles.switch}>
            <Switch
              value={options.skipInactive ?? true}
              onChange={(e) => onOptionsChange({ ...options, skipInactive: e.currentTarget.checked })}
            />
            skip inactivity
          </label>
          <span className={styles.time} data-testid="replay-clock">
            {(now / 1000).toFixed(1)} / {(span.total / 1000).toFixed(1)} s
          </span>
        </div>
      </div>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  wrap: css({ display: 'flex', flexDirection: 'column', overflow: 'hidden' }),
  stage: css({ position: 'relative', overflow: 'hidden', background: theme.colors.background.canvas }),
  root: css({
    '.replayer-wrapper': { position: 'relative' },
    iframe: { border: 0, background: '#fff', pointerEvents: 'none' },
    '.replayer-mouse': { display: 'none' },
  }),
  controls: css({
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(0.5),
    padding: theme.spacing(0.5, 1),
  }),
  track: css({
    position: 'relative',
    height: 8,
    background: theme.colors.background.secondary,
    borderRadius: theme.shape.radius.default,
  }),
  progress: css({
    height: '100%',
    background: theme.colors.primary.main,
    borderRadius: theme.shape.radius.default,
  }),
  marker: css({
    position: 'absolute',
    top: -2,
    width: 4,
    height: 12,
    border: 0,
    padding: 0,
    cursor: 'pointer',
    transform: 'translateX(-2px)',
  }),
  buttons: css({ display: 'flex', alignItems: 'center', gap: theme.spacing(1) }),
  switch: css({
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
    color: theme.colors.text.secondary,
  }),
  time: css({ marginLeft: 'auto', color: theme.colors.text.secondary, fontVariantNumeric: 'tabular-nums' }),
  message: css({
    position: 'absolute',
    inset: 0,
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'center',
    color: theme.colors.text.secondary,
    textAlign: 'center',
    padding: theme.spacing(2),
  }),
});
