/*
 * The time range of a page, kept in the URL as Grafana keeps it (from/to: "now-24h", or epoch ms), with
 * Grafana's own picker. One piece for every page of the app.
 */
import React from 'react';
import { dateMath, dateTime, type TimeRange, type UrlQueryMap } from '@grafana/data';
import { locationService } from '@grafana/runtime';
import { RefreshPicker, TimeRangePicker } from '@grafana/ui';
import { queryText } from './location';

export const DEFAULT_FROM = 'now-24h';
export const DEFAULT_TO = 'now';

function parse(raw: string, roundUp: boolean) {
  const asNumber = /^\d+$/.test(raw) ? dateTime(Number(raw)) : undefined;
  return asNumber ?? dateMath.parse(raw, roundUp) ?? dateTime();
}

/** The range a URL's from/to mean now; relative ones ("now-1h") move on with each call. */
export function rangeFromQuery(query: UrlQueryMap): TimeRange {
  const rawFrom = queryText(query, 'from') || DEFAULT_FROM;
  const rawTo = queryText(query, 'to') || DEFAULT_TO;
  return { from: parse(rawFrom, false), to: parse(rawTo, true), raw: { from: rawFrom, to: rawTo } };
}

export function TimeControls({ range, onRefresh }: { range: TimeRange; onRefresh: () => void }) {
  const setRange = (r: TimeRange) => {
    const text = (v: TimeRange['raw']['from']) => (typeof v === 'string' ? v : String(v.valueOf()));
    locationService.partial({ from: text(r.raw.from), to: text(r.raw.to) });
  };
  const shift = (factor: number) => {
    const span = range.to.valueOf() - range.from.valueOf();
    const from = range.from.valueOf() + factor * span;
    locationService.partial({ from: String(Math.round(from)), to: String(Math.round(from + span)) });
  };
  return (
    <div style={{ display: 'flex', gap: 8 }} data-testid="time-controls">
      <TimeRangePicker
        value={range}
        onChange={setRange}
        onChangeTimeZone={() => undefined}
        onMoveBackward={() => shift(-1)}
        onMoveForward={() => shift(1)}
        onZoom={() => {
          const span = range.to.valueOf() - range.from.valueOf();
          locationService.partial({
            from: String(Math.round(range.from.valueOf() - span / 2)),
            to: String(Math.round(range.to.valueOf() + span / 2)),
          });
        }}
        timeZone="browser"
      />
      <RefreshPicker onRefresh={onRefresh} onIntervalChanged={() => undefined} noIntervalPicker />
    </div>
  );
}
