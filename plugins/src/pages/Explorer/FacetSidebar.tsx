/* Top values of the tab's facet fields with their counts; a click adds `field = value` to the filter. */
import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { FILTER_FIELDS } from '@otel-rum/model';
import { Icon, IconButton, useStyles2 } from '@grafana/ui';
import type { FacetValues } from './explorerState';

export function FacetSidebar({
  facets,
  onAdd,
}: {
  facets: FacetValues[];
  onAdd: (field: string, value: unknown, negate: boolean) => void;
}) {
  const styles = useStyles2(getStyles);
  return (
    <div className={styles.sidebar} data-testid="facets">
      {facets.map((f) => (
        <div key={f.field} className={styles.facet} data-testid={`facet-${f.field}`}>
          <div
            className={styles.title}
            title={FILTER_FIELDS[f.field as keyof typeof FILTER_FIELDS]?.description}
          >
            {f.field}
          </div>
          {f.values.length === 0 && <div className={styles.none}>no values</div>}
          {f.values.map((v) => {
            const text = v.value === null || v.value === '' ? '(none)' : String(v.value);
            return (
              <div key={text} className={styles.value}>
                <button
                  type="button"
                  className={styles.add}
                  data-testid={`facet-value-${f.field}-${text}`}
                  title={`Filter on ${f.field} = ${text}`}
                  onClick={() => onAdd(f.field, v.value, false)}
                >
                  <span className={styles.text}>{text}</span>
                  <span className={styles.count}>{v.count}</span>
                </button>
                <IconButton
                  name="minus-circle"
                  size="sm"
                  tooltip={`Exclude ${f.field} = ${text}`}
                  onClick={() => onAdd(f.field, v.value, true)}
                />
              </div>
            );
          })}
        </div>
      ))}
      <div className={styles.none}>
        <Icon name="info-circle" /> Click a value to add it to the filter
      </div>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  sidebar: css({ width: 240, flexShrink: 0 }),
  facet: css({ marginBottom: theme.spacing(2) }),
  title: css({ fontWeight: theme.typography.fontWeightMedium, marginBottom: theme.spacing(0.5) }),
  value: css({ display: 'flex', alignItems: 'center' }),
  add: css({
    display: 'flex',
    flexGrow: 1,
    justifyContent: 'space-between',
    background: 'none',
    border: 'none',
    color: theme.colors.text.primary,
    padding: theme.spacing(0.25, 0.5),
    cursor: 'pointer',
    minWidth: 0,
    '&:hover': { background: theme.colors.action.hover },
  }),
  text: css({ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }),
  count: css({ color: theme.colors.text.secondary, marginLeft: theme.spacing(1) }),
  none: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
});
