/*
 * A generated metric rule: which events it counts or measures, how, by which dimensions and per
 * which interval. This file reads and checks a rule as the API receives it; every refusal names
 * the property and what would be accepted.
 */
import {
  MAX_FILTER_LENGTH,
  MAX_GENERATED_METRIC_DIMENSIONS,
  MAX_GENERATED_METRIC_INTERVAL_S,
  MIN_GENERATED_METRIC_INTERVAL_S,
  MAX_METRIC_RULE_DESCRIPTION_LENGTH,
  MAX_METRIC_RULE_NAME_LENGTH,
  METRIC_RULE_AGGREGATIONS,
  SELF_METRIC_PREFIX,
  EVENT_KINDS,
  attributeKey,
  defaultLabel,
  isEventKind,
  type MetricRule,
  type MetricRuleAggregation,
  type MetricRuleDefinition,
  type MetricRuleDimension,
} from '@otel-rum/model';
import { HttpError } from '../http/http-error';
import { FilterError } from '../query/filter';
import { EVENT_FIELDS } from '../store/duckdb/duckdb-store';
import type { EventRow } from '../store/rows';
import { eventPredicate, type EventPredicate } from './event-filter';
import { EVENT_VALUES, attributeNumber, attributeText } from './event-values';

/** Numeric fields a rule may aggregate, besides `attr."key"`. */
export const NUMERIC_FIELDS: Readonly<Record<string, (e: EventRow) => number | null>> = {
  duration: (e) => e.durationMs,
  value: (e) => e.value,
  status: (e) => e.status,
};

/** Fields that would make one series per session, view, trace or user: refused as dimensions. */
const REFUSED_DIMENSIONS: Readonly<Record<string, string>> = {
  time: 'time is the series axis, not a label',
  session: 'one series per session would exceed the series limit at once',
  view: 'one series per view would exceed the series limit at once',
  trace: 'one series per trace would exceed the series limit at once',
  user: 'one series per user would exceed the series limit and put user ids into Prometheus',
};

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
/** Labels Prometheus gives a meaning of its own (summaries, histograms). */
const RESERVED_LABELS = new Set(['quantile', 'le']);

/** A rule made ready for arriving events. */
export interface CompiledRule {
  rule: MetricRule;
  matches: EventPredicate;
  /** The measured value; null skips the event (count rules count every match). */
  measure: (e: EventRow) => number | null;
  labels: (e: EventRow) => string[];
}

function bad(message: string): never {
  throw new HttpError(400, message);
}

function numericReader(field: string): (e: EventRow) => number | null {
  const key = attributeKey(field);
  if (key !== null) return (e) => attributeNumber(e, key);
  const read = NUMERIC_FIELDS[field];
  if (!read)
    bad(
      `field "${field}" is not a numeric field: use ${Object.keys(NUMERIC_FIELDS).join(', ')} or attr."<key>"`,
    );
  return read;
}

function dimensionReader(field: string): (e: EventRow) => string {
  const key = attributeKey(field);
  if (key !== null) return (e) => attributeText(e, key) ?? '';
  const read = EVENT_VALUES[field];
  if (!read) return () => '';
  return (e) => {
    const v = read(e);
    return v === null ? '' : String(v);
  };
}

function readDimension(raw: unknown, i: number): MetricRuleDimension {
  const where = `dimensions[${i}]`;
  let field: unknown;
  let label: unknown;
  if (typeof raw === 'string') field = raw;
  else if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) {
    ({ field, label } = raw as Record<string, unknown>);
  } else bad(`${where} must be a field name or an object {"field", "label"}`);
  if (typeof field !== 'string' || field === '') bad(`${where}.field must be a field name`);
  if (attributeKey(field) === null) {
    const refused = REFUSED_DIMENSIONS[field];
    if (refused) bad(`${where}: "${field}" cannot be a dimension: ${refused}`);
    if (!(field in EVENT_VALUES)) {
      const known = Object.keys(EVENT_VALUES).filter((f) => !(f in REFUSED_DIMENSIONS));
      bad(`${where}: unknown field "${field}"; use one of ${known.join(', ')} or attr."<key>"`);
    }
  }
  const name = label === undefined || label === null ? defaultLabel(field) : label;
  if (typeof name !== 'string' || !LABEL_NAME.test(name) || name.startsWith('__'))
    bad(`${where}.label must be a Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*, not starting with __)`);
  if (RESERVED_LABELS.has(name)) bad(`${where}.label "${name}" is reserved by Prometheus; name it otherwise`);
  return { field, label: name };
}

/** Reads and checks a rule from a request body; `name` comes from the path on updates. */
export function readRuleDefinition(body: Record<string, unknown>, name?: string): MetricRuleDefinition {
  const known = [
    'name',
    'description',
    'kind',
    'filter',
    'aggregation',
    'field',
    'percentile',
    'dimensions',
    'intervalSeconds',
  ];
  for (const key of Object.keys(body))
    if (!known.includes(key)) bad(`unknown property "${key}"; known: ${known.join(', ')}`);

  const n = name ?? body.name;
  if (name !== undefined && body.name !== undefined && body.name !== name)
    bad(
      `name "${String(body.name)}" in the body differs from "${name}" in the path; a rule cannot be renamed`,
    );
  if (typeof n !== 'string' || !METRIC_NAME.test(n) || n.length > MAX_METRIC_RULE_NAME_LENGTH)
    bad(
      `name must be a Prometheus metric name ([a-zA-Z_:][a-zA-Z0-9_:]*, at most ${MAX_METRIC_RULE_NAME_LENGTH} characters)`,
    );
  if (n.startsWith('__') || n.startsWith(SELF_METRIC_PREFIX))
    bad(`name may not start with "__" or "${SELF_METRIC_PREFIX}" (the server's own metrics)`);

  const description = body.description ?? null;
  if (
    description !== null &&
    (typeof description !== 'string' || description.length > MAX_METRIC_RULE_DESCRIPTION_LENGTH)
  )
    bad(`description must be text of at most ${MAX_METRIC_RULE_DESCRIPTION_LENGTH} characters`);

  const kind = body.kind;
  if (!isEventKind(kind)) bad(`kind must be one of ${EVENT_KINDS.join(', ')}`);

  const filter = body.filter ?? '';
  if (typeof filter !== 'string' || filter.length > MAX_FILTER_LENGTH)
    bad(`filter must be a filter expression of at most ${MAX_FILTER_LENGTH} characters`);

  const aggregation = body.aggregation;
  if (!METRIC_RULE_AGGREGATIONS.includes(aggregation as MetricRuleAggregation))
    bad(`aggregation must be one of ${METRIC_RULE_AGGREGATIONS.join(', ')}`);
  const agg = aggregation as MetricRuleAggregation;

  const field = body.field ?? null;
  if (agg === 'count') {
    if (field !== null) bad('field is not used by count: leave it out, or choose sum, avg or percentile');
  } else {
    if (typeof field !== 'string')
      bad(`${agg} needs a numeric field: duration, value, status or attr."<key>"`);
    numericReader(field);
  }

  const percentile = body.percentile ?? null;
  if (agg === 'percentile') {
    if (typeof percentile !== 'number' || !(percentile >= 0 && percentile <= 100))
      bad('percentile must be a number from 0 to 100 (95 for the 95th percentile)');
  } else if (percentile !== null) bad('percentile is only used by the percentile aggregation');

  const rawDims = body.dimensions ?? [];
  if (!Array.isArray(rawDims)) bad('dimensions must be a list of field names');
  if (rawDims.length > MAX_GENERATED_METRIC_DIMENSIONS)
    bad(
      `dimensions: at most ${MAX_GENERATED_METRIC_DIMENSIONS} (MAX_GENERATED_METRIC_DIMENSIONS), got ${rawDims.length}`,
    );
  const dimensions = rawDims.map(readDimension);
  const labels = new Set<string>();
  for (const d of dimensions) {
    if (labels.has(d.label)) bad(`dimensions: the label "${d.label}" is used twice; give one a "label"`);
    labels.add(d.label);
  }

  const interval = body.intervalSeconds;
  if (
    typeof interval !== 'number' ||
    !Number.isInteger(interval) ||
    interval < MIN_GENERATED_METRIC_INTERVAL_S ||
    interval > MAX_GENERATED_METRIC_INTERVAL_S
  )
    bad(
      `intervalSeconds must be a whole number of seconds from ${MIN_GENERATED_METRIC_INTERVAL_S} to ${MAX_GENERATED_METRIC_INTERVAL_S}`,
    );

  const definition: MetricRuleDefinition = {
    name: n,
    description: description as string | null,
    kind,
    filter: filter as string,
    aggregation: agg,
    field: field as string | null,
    percentile: percentile as number | null,
    dimensions,
    intervalSeconds: interval,
  };
  compileRule({ ...definition, createdAt: '', updatedAt: '' });
  return definition;
}

/** Prepares a rule for evaluation; a filter the language refuses is a 400 naming the filter. */
export function compileRule(rule: MetricRule): CompiledRule {
  let matches: EventPredicate;
  try {
    matches = eventPredicate(rule.filter, EVENT_FIELDS);
  } catch (e) {
    if (e instanceof FilterError) bad(`filter: ${e.message}`);
    throw e;
  }
  const readers = rule.dimensions.map((d) => dimensionReader(d.field));
  const measure = rule.field === null ? () => 1 : numericReader(rule.field);
  return {
    rule,
    matches,
    measure: (e) => {
      const v = measure(e);
      return v === null || !Number.isFinite(v) ? null : v;
    },
    labels: (e) => readers.map((r) => r(e)),
  };
}

/** True when two definitions measure the same thing (only the description differs). */
export function sameMeasure(a: MetricRuleDefinition, b: MetricRuleDefinition): boolean {
  const key = (r: MetricRuleDefinition) =>
    JSON.stringify([r.kind, r.filter, r.aggregation, r.field, r.percentile, r.dimensions, r.intervalSeconds]);
  return key(a) === key(b);
}

/** The sample names a rule puts into the exposition. */
export function exposedNames(rule: MetricRuleDefinition): string[] {
  return rule.aggregation === 'percentile'
    ? [rule.name, `${rule.name}_sum`, `${rule.name}_count`]
    : [rule.name];
}
