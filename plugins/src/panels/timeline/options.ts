import type { PanelOptionsEditorBuilder } from '@grafana/data';
import { TIMELINE_KINDS } from './events';

export interface TimelineOptions {
  /** Kinds shown; empty: all. */
  kinds: string[];
  maxRows: number;
}

export function timelineOptions(builder: PanelOptionsEditorBuilder<TimelineOptions>) {
  return builder
    .addMultiSelect({
      path: 'kinds',
      name: 'Kinds of events',
      description: 'Empty: every kind',
      defaultValue: [],
      // Grafana types a multi-select's options with the array type of the option; each option is one value.
      settings: { options: TIMELINE_KINDS.map((k) => ({ value: k, label: k.replace('_', ' ') })) as never },
    })
    .addNumberInput({
      path: 'maxRows',
      name: 'Rows',
      description: 'Events shown, earliest first',
      defaultValue: 500,
      settings: { min: 1, max: 5000, integer: true },
    });
}
