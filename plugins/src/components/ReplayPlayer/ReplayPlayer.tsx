/*
 * The session replay player, one implementation for the replay panel and the app's session page:
 * rrweb's replayer fed page by page as the server pages the recording, markers for errors, actions
 * and page changes on its track, speeds and skipping of inactivity. What was masked at record time
 * stays masked: the player only rebuilds what was recorded.
 *
 * `seek` moves it from outside (the session page's timeline); `onPosition` tells where it is while it
 * plays and after its own controls move it, so the page can highlight the event being played.
 */
import React, { useEffect, useRef, useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Button, RadioButtonGroup, Switch, useStyles2, useTheme2 } from '@grafana/ui';
import { Replayer } from 'rrweb';
import { SPEEDS, type Marker, type ReplayPage } from './recording';

const MARKER_COLORS: Record<Marker['kind'], string> = { error: 'red', action: 'green', view: 'blue' };
/** Height of the controls under the player, px. */
export const CONTROLS_HEIGHT = 64;
/** How often the position is read while playing, ms. */
const POSITION_INTERVAL_MS = 200;

export type PlayerState = 'loading' | 'ready' | 'empty' | 'error';

export interface ReplayPlayerProps {
  sessionId: string;
  /** Reads one page of the recording; `cursor` is the previous page's. */
  load: (cursor?: string) => Promise<ReplayPage>;
  /** Changes when `load` reads from somewhere else (another data source, application): reloads. */
  sourceKey: string;
  markers: Marker[];
  width: number;
  height: number;
  speed: number;
  skipInactive: boolean;
  onSpeedChange: (speed: number) => void;
  onSkipInactiveChange: (skip: boolean) => void;
  /** Moves the player to this epoch ms; a new object each time, so the same time can be sought twice. */
  seek?: { at: number };
  /** The player's position (epoch ms) while it plays and after its own controls move it. */
  onPosition?: (at: number) => void;
  testId?: string;
}

function messageOf(e: unknown): string {
  if (e instanceof Error) return e.message;
  return (e as { data?: { message?: string } })?.data?.message ?? String(e);
}

export function ReplayPlayer(props: ReplayPlayerProps) {
  const { sessionId, sourceKey, markers, width, height, speed, skipInactive, seek, testId } = props;
  const styles = useStyles2(getStyles);
  const theme = useTheme2();
  const stage = useRef<HTMLDivElement>(null);
  const player = useRef<Replayer | null>(null);
  const latest = useRef(props);
  latest.current = props;
  const [status, setStatus] = useState<{ state: PlayerState; message?: string }>({ state: 'loading' });
  const [span, setSpan] = useState({ start: 0, total: 0 });
  const [now, setNow] = useState(0);
  const [playing, setPlaying] = useState(false);
  const [ended, setEnded] = useState(false);
  const [loadedPages, setLoadedPages] = useState(0);

  const moved = (offset: number, start = span.start) => {
    setNow(offset);
    latest.current.onPosition?.(start + offset);
  };

  useEffect(() => {
    let cancelled = false;
    setStatus({ state: 'loading' });
    setLoadedPages(0);
    setEnded(false);
    setNow(0);
    (async () => {
      let page: ReplayPage;
      try {
        page = await latest.current.load();
      } catch (e) {
        if ((e as { status?: number }).status === 404) {
          if (!cancelled) setStatus({ state: 'empty', message: `Session ${sessionId} has no recording` });
          return;
        }
        throw e;
      }
      const start = page.segments.findIndex((s) => s.hasFullSnapshot);
      if (start < 0) {
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
        skipInactive: latest.current.skipInactive,
        speed: latest.current.speed,
        showWarning: false,
        mouseTail: false,
        triggerFocus: false,
        insertStyleRules: [],
      });
      player.current = r;
      r.on('finish', () => {
        setPlaying(false);
        setEnded(true);
        const m = r.getMetaData();
        setNow(m.totalTime);
        latest.current.onPosition?.(m.endTime);
      });
      const meta = r.getMetaData();
      setSpan({ start: meta.startTime, total: meta.totalTime });
      setStatus({ state: 'ready' });
      setLoadedPages(1);
      r.pause(0);
      latest.current.onPosition?.(meta.startTime);
      // The rest of the recording, page by page, added to the player as it arrives.
      let cursor = page.nextCursor;
      let pages = 1;
      while (cursor && !cancelled) {
        const next = await latest.current.load(cursor);
        for (const e of next.segments.flatMap((s) => s.events)) r.addEvent(e as never);
        cursor = next.nextCursor;
        setLoadedPages(++pages);
        const m = r.getMetaData();
        setSpan({ start: m.startTime, total: m.totalTime });
      }
    })().catch((e) => {
      if (!cancelled) setStatus({ state: 'error', message: messageOf(e) });
    });
    return () => {
      cancelled = true;
      player.current?.destroy();
      player.current = null;
      setPlaying(false);
    };
  }, [sessionId, sourceKey]);

  useEffect(() => {
    player.current?.setConfig({ speed, skipInactive });
  }, [speed, skipInactive]);

  useEffect(() => {
    if (!playing) return;
    const t = setInterval(() => {
      const r = player.current;
      if (!r) return;
      const at = r.getCurrentTime();
      moved(Math.min(at, span.total));
      // rrweb does not always say 'finish' (events added while it plays): the clock tells the end too.
      if (span.total > 0 && at >= span.total) {
        setPlaying(false);
        setEnded(true);
      }
    }, POSITION_INTERVAL_MS);
    return () => clearInterval(t);
  }, [playing, span.start, span.total]);

  // A move asked from outside: to that moment of the recording (clamped to it), playing or not.
  useEffect(() => {
    const r = player.current;
    if (!seek || !r || status.state !== 'ready') return;
    const offset = Math.min(Math.max(seek.at - span.start, 0), span.total);
    setEnded(false);
    if (playing) r.play(offset);
    else r.pause(offset);
    // Not reported: the caller knows what it asked for, which may lie outside the recording.
    setNow(offset);
  }, [seek, status.state]);

  // The recorded page scaled into the space given.
  useEffect(() => {
    const r = player.current;
    if (!r || status.state !== 'ready') return;
    const w = Number(r.iframe.width) || 1;
    const h = Number(r.iframe.height) || 1;
    const scale = Math.min(width / w, (height - CONTROLS_HEIGHT) / h, 1);
    r.wrapper.style.transform = `scale(${scale})`;
    r.wrapper.style.transformOrigin = 'top left';
  }, [width, height, status.state, loadedPages]);

  const jump = (offset: number) => {
    setEnded(false);
    if (playing) player.current?.play(offset);
    else player.current?.pause(offset);
    moved(offset);
  };
  const toggle = () => {
    const r = player.current;
    if (!r) return;
    if (playing) {
      r.pause();
      moved(r.getCurrentTime());
    } else {
      const from = ended || now >= span.total ? 0 : now;
      setEnded(false);
      r.play(from);
      moved(from);
    }
    setPlaying(!playing);
  };

  return (
    <div
      className={styles.wrap}
      style={{ width, height }}
      data-testid={testId ?? 'replay-player'}
      data-status={status.state}
      data-ended={ended || undefined}
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
                onClick={() => jump(m.time - span.start)}
              />
            ))}
        </div>
        <div className={styles.buttons}>
          <Button
            size="sm"
            variant="secondary"
            icon={playing ? 'pause' : ended ? 'history' : 'play'}
            onClick={toggle}
            disabled={status.state !== 'ready'}
            data-testid="replay-toggle"
            data-state={playing ? 'playing' : ended ? 'ended' : 'paused'}
          >
            {playing ? 'Pause' : ended ? 'Replay' : 'Play'}
          </Button>
          <RadioButtonGroup
            size="sm"
            value={speed}
            options={SPEEDS.map((s) => ({ value: s, label: `${s}x` }))}
            onChange={props.onSpeedChange}
          />
          <label className={styles.switch}>
            <Switch
              value={skipInactive}
              onChange={(e) => props.onSkipInactiveChange(e.currentTarget.checked)}
            />
            skip inactivity
          </label>
          <span className={styles.time} data-testid="replay-clock">
            {(Math.min(now, span.total) / 1000).toFixed(1)} / {(span.total / 1000).toFixed(1)} s
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
