/*
 * The session replay panel: the shared player over the session its options name (or the first one
 * the panel's query returns), read through the otel-rum data source.
 */
import React, { useEffect, useMemo, useState } from 'react';
import { css } from '@emotion/css';
import { LoadingState, type GrafanaTheme2, type PanelProps } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import { ReplayPlayer } from '../../components/ReplayPlayer/ReplayPlayer';
import {
  replayPage,
  sessionMarkers,
  type Marker,
  type RumGet,
} from '../../components/ReplayPlayer/recording';
import { dataSourceGet, rumDataSource, sessionFromFrames } from './source';
import type { ReplayOptions } from './options';

export function ReplayPanel({
  data,
  options,
  width,
  height,
  replaceVariables,
  onOptionsChange,
}: PanelProps<ReplayOptions>) {
  const styles = useStyles2(getStyles);
  const [markers, setMarkers] = useState<Marker[]>([]);
  const fromFrames = sessionFromFrames(data.series);
  const sessionId = replaceVariables(options.sessionId ?? '').trim() || fromFrames.sessionId || '';
  const appId = replaceVariables(options.appId ?? '').trim() || fromFrames.appId || '';
  const dsRef = data.request?.targets?.[0]?.datasource;
  const sourceKey = `${appId}|${JSON.stringify(dsRef ?? null)}`;
  // The data source is looked up once per source; the player and the markers share it.
  const get = useMemo(() => {
    const ds = rumDataSource(dsRef).then(dataSourceGet);
    ds.catch(() => undefined);
    const g: RumGet = (path, params) => ds.then((d) => d(path, params));
    return g;
  }, [sourceKey]);

  useEffect(() => {
    setMarkers([]);
    if (!sessionId) return;
    let cancelled = false;
    sessionMarkers(get, sessionId, appId).then(
      (m) => !cancelled && setMarkers(m),
      () => undefined,
    );
    return () => {
      cancelled = true;
    };
  }, [get, sessionId, appId]);

  if (data.state === LoadingState.Error && !sessionId)
    return (
      <div className={styles.message} data-testid="replay-error">
        {data.errors?.[0]?.message ?? 'The query failed'}
      </div>
    );
  if (!sessionId)
    return (
      <div
        className={styles.message}
        style={{ width, height }}
        data-testid="replay-panel"
        data-status="empty"
      >
        <span data-testid="replay-empty">Choose a session: set its id in the options, or query sessions</span>
      </div>
    );
  return (
    <ReplayPlayer
      testId="replay-panel"
      sessionId={sessionId}
      sourceKey={sourceKey}
      load={(cursor) => replayPage(get, sessionId, appId, cursor)}
      markers={markers}
      width={width}
      height={height}
      speed={options.speed ?? 1}
      skipInactive={options.skipInactive ?? true}
      onSpeedChange={(speed) => onOptionsChange({ ...options, speed })}
      onSkipInactiveChange={(skipInactive) => onOptionsChange({ ...options, skipInactive })}
    />
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
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
