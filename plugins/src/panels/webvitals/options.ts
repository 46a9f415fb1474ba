import type { PanelOptionsEditorBuilder } from '@grafana/data';
import { FILTER_FIELDS, WEB_VITAL_NAMES, type WebVitalName } from '@otel-rum/model';

export interface WebVitalsOptions {
  /** Which percentile each cell shows (75 is what Core Web Vitals assess). */
  percentile: number;
  /** The events' field to group by ("" for the total only). */
  groupBy: string;
  vitals: WebVitalName[];
  showDistribution: boolean;
  /** Groups shown, busiest first. */
  maxGroups: number;
}

export const DEFAULT_OPTIONS: WebVitalsOptions = {
  percentile: 75,
  groupBy: 'path',
  vitals: ['lcp', 'inp', 'cls'],
  showDistribution: true,
  maxGroups: 20,
};

/** Fields of an events frame worth grouping by (the data source names its columns after the model's fields). */
const GROUP_FIELDS = ['path', 'url', 'browser', 'os', 'device', 'country', 'version', 'env', 'app'].filter(
  (f) => f in FILTER_FIELDS,
);

export function webVitalsOptions(builder: PanelOptionsEditorBuilder<WebVitalsOptions>) {
  return builder
    .addSliderInput({
      path: 'percentile',
      name: 'Percentile',
      description: 'Each cell shows this percentile of the measurements; Core Web Vitals assess the 75th',
      defaultValue: DEFAULT_OPTIONS.percentile,
      settings: { min: 50, max: 99, step: 1 },
    })
    .addSelect({
      path: 'groupBy',
      name: 'Group by',
      description: 'One row per value of this field, under the row of all measurements',
      defaultValue: DEFAULT_OPTIONS.groupBy,
      settings: {
        options: [
          { value: '', label: 'Nothing (total only)' },
          ...GROUP_FIELDS.map((f) => ({ value: f, label: f })),
        ],
        allowCustomValue: true,
      },
    })
    .addMultiSelect({
      path: 'vitals',
      name: 'Vitals',
      defaultValue: DEFAULT_OPTIONS.vitals,
      // Grafana types a multi-select's options with the array type of the option; each option is one value.
      settings: { options: WEB_VITAL_NAMES.map((v) => ({ value: v, label: v.toUpperCase() })) as never },
    })
    .addBooleanSwitch({
      path: 'showDistribution',
      name: 'Share of page views per band',
      description: 'A bar under each value: good, needs improvement, poor',
      defaultValue: DEFAULT_OPTIONS.showDistribution,
    })
    .addNumberInput({
      path: 'maxGroups',
      name: 'Rows',
      description: 'Groups shown, those with the most measurements first',
      defaultValue: DEFAULT_OPTIONS.maxGroups,
      settings: { min: 1, max: 200, integer: true },
    });
}
