/*
 * A data source frame as a sortable, paged table with a column chooser: each field's display name,
 * unit and type come from the frame (the data source's frames), links go to the app's pages, and
 * each row opens its details in a drawer, with the way to its session, issue and trace.
 */
import React, { useMemo, useState } from 'react';
import {
  FieldType,
  dateTimeFormat,
  formattedValueToString,
  getValueFormat,
  type DataFrame,
  type Field,
} from '@grafana/data';
import {
  Drawer,
  IconButton,
  InteractiveTable,
  LinkButton,
  MultiSelect,
  Stack,
  type Column,
} from '@grafana/ui';
import { appUrl } from '../../shared/location';
import { traceExploreUrl } from '../../shared/explore';

type Row = { index: number; values: Record<string, unknown> };

/** Rows the table shows at once; the rest are a page away. */
const PAGE_ROWS = 50;

/** How one value of a field reads in the table. */
export function formatValue(field: Field, value: unknown): string {
  if (value === null || value === undefined || value === '') return '';
  if (field.type === FieldType.time) return dateTimeFormat(value as number);
  if (field.type === FieldType.number && typeof value === 'number') {
    const unit = field.config.unit;
    return unit
      ? formattedValueToString(getValueFormat(unit)(value, 1))
      : String(Math.round(value * 1000) / 1000);
  }
  if (field.type === FieldType.other) return JSON.stringify(value);
  return String(value);
}

function cellOf(field: Field, row: Row, onFilter?: (field: string, value: unknown) => void): React.ReactNode {
  const v = row.values[field.name];
  const text = formatValue(field, v);
  if (!text) return '';
  const app = String(row.values.app ?? '');
  if (field.name === 'session')
    return (
      <a href={appUrl(`sessions/${encodeURIComponent(String(v))}`, { app_id: app })}>{text.slice(0, 12)}</a>
    );
  if (field.name === 'trace') {
    const href = traceExploreUrl(String(v));
    return href ? (
      <a href={href} title="The browser and backend spans of this request">
        {text.slice(0, 12)}
      </a>
    ) : (
      text.slice(0, 12)
    );
  }
  if (field.type === FieldType.time) return <span style={{ whiteSpace: 'nowrap' }}>{text}</span>;
  if (field.name === 'fingerprint')
    return (
      <a href={appUrl(`issues/${encodeURIComponent(String(v))}`, { app_id: app })}>{text.slice(0, 12)}</a>
    );
  if (onFilter && field.type === FieldType.string && field.name !== 'id' && field.name !== 'url')
    return (
      <span
        title={`${text} (click to filter on it)`}
        style={{ cursor: 'pointer' }}
        onClick={() => onFilter(field.name, v)}
      >
        {text.length > 80 ? `${text.slice(0, 80)}…` : text}
      </span>
    );
  return text.length > 80 ? <span title={text}>{text.slice(0, 80)}…</span> : text;
}

export function FrameTable({
  frame,
  visible,
  onColumnsChange,
  onFilter,
}: {
  frame: DataFrame;
  visible: string[];
  onColumnsChange: (names: string[]) => void;
  onFilter?: (field: string, value: unknown) => void;
}) {
  const rows = useMemo<Row[]>(
    () =>
      Array.from({ length: frame.length }, (_, index) => ({
        index,
        values: Object.fromEntries(frame.fields.map((f) => [f.name, f.values[index]])),
      })),
    [frame],
  );
  const fields = frame.fields.filter((f) => f.type !== FieldType.other);
  // In the order the user (or the tab) chose them.
  const shown = visible.map((name) => fields.find((f) => f.name === name)).filter((f): f is Field => !!f);
  const columns: Array<Column<Row>> = shown.map((f) => ({
    id: f.name,
    header: f.config.displayName ?? f.name,
    sortType: f.type === FieldType.number || f.type === FieldType.time ? 'number' : 'string',
    cell: ({ row }) => cellOf(f, row.original, onFilter),
  }));
  const [open, setOpen] = useState<Row | null>(null);
  const columnsWithDetails: Array<Column<Row>> = [
    {
      id: '__details',
      header: '',
      disableGrow: true,
      cell: ({ row }) => (
        <IconButton
          name="eye"
          size="sm"
          tooltip="Details"
          data-testid="row-details-open"
          onClick={() => setOpen(row.original)}
        />
      ),
    },
    ...columns,
  ];
  return (
    <div data-testid="explorer-table">
      <div style={{ marginBottom: 8, maxWidth: 700 }}>
        <MultiSelect
          aria-label="Columns"
          placeholder="Columns"
          options={fields.map((f) => ({ label: f.config.displayName ?? f.name, value: f.name }))}
          value={visible}
          onChange={(v) => onColumnsChange(v.map((x) => x.value!).filter(Boolean))}
        />
      </div>
      <InteractiveTable
        columns={columnsWithDetails}
        data={rows}
        getRowId={(r) => String(r.index)}
        pageSize={PAGE_ROWS}
      />
      {open && <RowDrawer frame={frame} row={open} onClose={() => setOpen(null)} />}
    </div>
  );
}

/** One row's every field, and the way to its session, issue and backend trace. */
function RowDrawer({ frame, row, onClose }: { frame: DataFrame; row: Row; onClose: () => void }) {
  const v = row.values;
  const app = String(v.app ?? '');
  const trace = v.trace ? traceExploreUrl(String(v.trace)) : undefined;
  const title = String(v.label ?? v.name ?? v.session ?? v.fingerprint ?? 'Details');
  return (
    <Drawer title={title} onClose={onClose} size="md">
      <Stack gap={1}>
        {v.session ? (
          <LinkButton
            size="sm"
            icon="user"
            variant="secondary"
            href={appUrl(`sessions/${encodeURIComponent(String(v.session))}`, { app_id: app })}
          >
            Session
          </LinkButton>
        ) : null}
        {v.fingerprint ? (
          <LinkButton
            size="sm"
            icon="bug"
            variant="secondary"
            href={appUrl(`issues/${encodeURIComponent(String(v.fingerprint))}`, { app_id: app })}
          >
            Issue
          </LinkButton>
        ) : null}
        {trace ? (
          <LinkButton size="sm" icon="gf-traces" variant="secondary" href={trace}>
            Backend trace
          </LinkButton>
        ) : null}
      </Stack>
      <table style={{ fontSize: 12, marginTop: 16 }} data-testid="row-details">
        <tbody>
          {frame.fields.map((f) => {
            const value = v[f.name];
            // Attributes: one row each, under their field's name.
            if (value && typeof value === 'object' && !Array.isArray(value))
              return Object.entries(value as Record<string, unknown>).map(([k, x]) => (
                <tr key={`${f.name}.${k}`}>
                  <th
                    style={{
                      textAlign: 'left',
                      paddingRight: 16,
                      verticalAlign: 'top',
                      fontWeight: 'normal',
                    }}
                  >
                    {k}
                  </th>
                  <td style={{ wordBreak: 'break-all' }}>{typeof x === 'string' ? x : JSON.stringify(x)}</td>
                </tr>
              ));
            const text = formatValue(f, value);
            return text ? (
              <tr key={f.name}>
                <th style={{ textAlign: 'left', paddingRight: 16, verticalAlign: 'top' }}>
                  {f.config.displayName ?? f.name}
                </th>
                <td style={{ wordBreak: 'break-all' }}>{text}</td>
              </tr>
            ) : null;
          })}
        </tbody>
      </table>
    </Drawer>
  );
}
