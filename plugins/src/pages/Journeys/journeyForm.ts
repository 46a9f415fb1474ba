/*
 * The journey editor's state and checks, and the funnel rows the page draws from the data source's
 * funnel frame (one definition of the funnel's fields for panels and the app).
 */
import type { DataFrame } from '@grafana/data';
import { MAX_JOURNEY_STEPS } from '@otel-rum/model';
import type { Journey, JourneyAnalysis, JourneyInput, JourneyStep } from '../../shared/appApi';
import { funnelFrame } from '../../datasource/frames/frames';
import { formatValue } from '../Explorer/FrameTable';

/** A step as the editor holds it: the glob in one field whatever the type. */
export interface StepDraft {
  type: 'view' | 'action';
  pattern: string;
}

export interface JourneyDraft {
  name: string;
  appId: string;
  steps: StepDraft[];
}

export const emptyDraft = (): JourneyDraft => ({
  name: '',
  appId: '',
  steps: [{ type: 'view', pattern: '' }],
});

export function draftOf(j: Journey): JourneyDraft {
  return {
    name: j.name,
    appId: j.appId ?? '',
    steps: j.steps.map((s) =>
      s.type === 'view' ? { type: 'view', pattern: s.path } : { type: 'action', pattern: s.name },
    ),
  };
}

export function inputOf(d: JourneyDraft): JourneyInput {
  return {
    name: d.name.trim(),
    appId: d.appId || null,
    steps: d.steps.map((s): JourneyStep =>
      s.type === 'view' ? { type: 'view', path: s.pattern } : { type: 'action', name: s.pattern },
    ),
  };
}

/** What keeps the draft from being saved, by field ('name', 'steps', 'step.<i>'); empty when fine. */
export function draftProblems(d: JourneyDraft): Record<string, string> {
  const p: Record<string, string> = {};
  if (!d.name.trim()) p.name = 'A journey needs a name';
  if (d.steps.length === 0) p.steps = 'Add at least one step';
  if (d.steps.length > MAX_JOURNEY_STEPS)
    p.steps = `At most ${MAX_JOURNEY_STEPS} steps (this one has ${d.steps.length})`;
  d.steps.forEach((s, i) => {
    if (!s.pattern.trim())
      p[`step.${i}`] =
        s.type === 'view'
          ? 'Give the URL path glob, e.g. /products/*'
          : 'Give the action name glob, e.g. Add to*';
  });
  return p;
}

/** One step of the funnel as the page draws it: the frame's values, and how they read. */
export interface FunnelRow {
  index: number;
  label: string;
  sessions: number;
  /** 0..1 of the first step's sessions (the bar's width). */
  share: number;
  text: Record<
    'conversion' | 'step_conversion' | 'drop_off' | 'drop_off_rate' | 'median_time' | 'errors',
    string
  >;
  dropOff: number | null;
}

/** The funnel rows, read from the data source's funnelFrame of the analysis. */
export function funnelRows(analysis: JourneyAnalysis): FunnelRow[] {
  const frame: DataFrame = funnelFrame(analysis, { refId: 'funnel' });
  const field = (name: string) => frame.fields.find((f) => f.name === name)!;
  const text = (name: string, i: number) => formatValue(field(name), field(name).values[i]) || '–';
  return analysis.steps.map((s, i) => ({
    index: s.index,
    label: String(field('step').values[i]),
    sessions: s.sessions,
    share: (field('conversion').values[i] as number | null) ?? 0,
    dropOff: s.dropOff,
    text: {
      conversion: text('conversion', i),
      step_conversion: text('step_conversion', i),
      drop_off: text('drop_off', i),
      drop_off_rate: text('drop_off_rate', i),
      median_time: text('median_time', i),
      errors: text('errors', i),
    },
  }));
}
