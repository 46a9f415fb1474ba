/*
 * A filter in the server's filter language, typed with autocomplete of fields and values (suggest.ts),
 * applied on Enter or with the button (and, in a query editor, when the field loses focus). Shared: the
 * explorer and the data source's query editor use it.
 */
import React, { useEffect, useRef, useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Button, Input, useStyles2 } from '@grafana/ui';
import { contextOf, suggest, type Suggestion } from './suggest';

export interface FilterBarProps {
  /** The applied filter. */
  value: string;
  onApply: (filter: string) => void;
  /** Top values of a field, for value suggestions. */
  loadValues: (field: string) => Promise<unknown[]>;
  placeholder?: string;
  /** Also applies when the input loses focus, as Grafana's query editors run their query. */
  applyOnBlur?: boolean;
  ariaLabel?: string;
}

export function FilterBar({
  value,
  onApply,
  loadValues,
  placeholder,
  applyOnBlur,
  ariaLabel,
}: FilterBarProps) {
  const styles = useStyles2(getStyles);
  const [draft, setDraft] = useState(value);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const [values, setValues] = useState<Record<string, unknown[]>>({});
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => setDraft(value), [value]);

  const ctx = contextOf(draft);
  const field = ctx?.kind === 'value' ? ctx.field : undefined;
  useEffect(() => {
    if (!field || values[field]) return;
    let current = true;
    loadValues(field).then(
      (v) => current && setValues((all) => ({ ...all, [field]: v })),
      () => current && setValues((all) => ({ ...all, [field]: [] })),
    );
    return () => {
      current = false;
    };
  }, [field, values, loadValues]);
  const items: Suggestion[] = open ? suggest(draft, field ? (values[field] ?? []) : []).slice(0, 10) : [];

  const pick = (s: Suggestion) => {
    setDraft(s.text);
    setActive(0);
    input.current?.focus();
  };
  const apply = () => {
    setOpen(false);
    onApply(draft.trim());
  };

  return (
    <div className={styles.bar}>
      <div className={styles.field}>
        <Input
          ref={input}
          data-testid="filter-input"
          aria-label={ariaLabel ?? 'Filter'}
          prefix="filter"
          value={draft}
          placeholder={placeholder}
          onChange={(e) => {
            setDraft(e.currentTarget.value);
            setOpen(true);
            setActive(0);
          }}
          onBlur={() => {
            setTimeout(() => setOpen(false), 150);
            if (applyOnBlur && draft.trim() !== value) onApply(draft.trim());
          }}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown' && items.length) {
              e.preventDefault();
              setActive((a) => (a + 1) % items.length);
            } else if (e.key === 'ArrowUp' && items.length) {
              e.preventDefault();
              setActive((a) => (a - 1 + items.length) % items.length);
            } else if ((e.key === 'Tab' || e.key === 'Enter') && items[active] && open) {
              e.preventDefault();
              pick(items[active]!);
            } else if (e.key === 'Enter') {
              e.preventDefault();
              apply();
            } else if (e.key === 'Escape') setOpen(false);
          }}
        />
        {items.length > 0 && (
          <ul className={styles.menu} role="listbox" data-testid="filter-suggestions">
            {items.map((s, i) => (
              <li
                key={s.label}
                role="option"
                aria-selected={i === active}
                className={i === active ? styles.active : undefined}
                onMouseDown={(e) => {
                  e.preventDefault();
                  pick(s);
                }}
              >
                <span>{s.label}</span>
                {s.detail && <span className={styles.detail}>{s.detail}</span>}
              </li>
            ))}
          </ul>
        )}
      </div>
      <Button variant="secondary" icon="search" onClick={apply}>
        Apply
      </Button>
      {value && (
        <Button variant="secondary" fill="text" onClick={() => onApply('')}>
          Clear
        </Button>
      )}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  bar: css({ display: 'flex', gap: theme.spacing(1), flex: '1 1 400px' }),
  field: css({ position: 'relative', flexGrow: 1 }),
  menu: css({
    position: 'absolute',
    zIndex: theme.zIndex.dropdown,
    top: '100%',
    left: 0,
    right: 0,
    listStyle: 'none',
    margin: 0,
    padding: theme.spacing(0.5, 0),
    background: theme.colors.background.elevated,
    border: `1px solid ${theme.colors.border.weak}`,
    boxShadow: theme.shadows.z3,
    li: {
      display: 'flex',
      justifyContent: 'space-between',
      gap: theme.spacing(2),
      padding: theme.spacing(0.5, 1),
      cursor: 'pointer',
    },
  }),
  active: css({ background: theme.colors.action.selected }),
  detail: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
});
