/*
 * The structure of a decoded OTLP request, checked before anything reads it: every field the mapping
 * walks that must be a list is a list (or absent), every message is an object (or absent), and
 * attribute values (AnyValue) nest at most MAX_ATTRIBUTE_NESTING levels. Without it a list field sent
 * as a number, or a value nested thousands deep, made the mapping throw and the request end in 500.
 * Scalar fields are not checked here: the mapping reads them leniently (values.ts).
 */
import { MAX_ATTRIBUTE_NESTING } from '@otel-rum/model';
import { HttpError } from '../../http/http-error';
import type { Signal } from './decode';

/** A message: the fields to check, each a message, a list of messages, or an attribute value. */
type Shape = { [field: string]: Shape | ['list', Shape] | 'keyValues' | 'anyValue' };

const scope: Shape = { attributes: 'keyValues' };
const resource: Shape = { attributes: 'keyValues' };
const numberPoint: Shape = {
  attributes: 'keyValues',
  exemplars: ['list', { filteredAttributes: 'keyValues' }],
};
const SHAPES: Record<Signal, [string, Shape]> = {
  logs: [
    'resourceLogs',
    {
      resource,
      scopeLogs: ['list', { scope, logRecords: ['list', { attributes: 'keyValues', body: 'anyValue' }] }],
    },
  ],
  traces: [
    'resourceSpans',
    {
      resource,
      scopeSpans: [
        'list',
        {
          scope,
          spans: [
            'list',
            {
              attributes: 'keyValues',
              events: ['list', { attributes: 'keyValues' }],
              links: ['list', { attributes: 'keyValues' }],
              status: {},
            },
          ],
        },
      ],
    },
  ],
  metrics: [
    'resourceMetrics',
    {
      resource,
      scopeMetrics: [
        'list',
        {
          scope,
          metrics: [
            'list',
            {
              gauge: { dataPoints: ['list', numberPoint] },
              sum: { dataPoints: ['list', numberPoint] },
              histogram: { dataPoints: ['list', numberPoint] },
            },
          ],
        },
      ],
    },
  ],
};

function refuse(signal: Signal, path: string, what: string): never {
  throw new HttpError(400, `malformed OTLP request for ${signal}: ${path} ${what}`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}

function checkList(signal: Signal, v: unknown, path: string, item: (x: unknown, p: string) => void): void {
  if (v === undefined || v === null) return;
  if (!Array.isArray(v)) refuse(signal, path, 'must be a list');
  for (let i = 0; i < v.length; i++) item(v[i], `${path}[${i}]`);
}

function checkKeyValues(signal: Signal, v: unknown, path: string, depth: number): void {
  checkList(signal, v, path, (kv, p) => {
    if (!isObject(kv)) refuse(signal, p, 'must be an object with key and value');
    checkAnyValue(signal, kv.value, `${p}.value`, depth);
  });
}

function checkAnyValue(signal: Signal, v: unknown, path: string, depth: number): void {
  if (v === undefined || v === null) return;
  if (!isObject(v)) refuse(signal, path, 'must be an AnyValue object');
  for (const field of ['arrayValue', 'kvlistValue'] as const) {
    const inner = v[field];
    if (inner === undefined || inner === null) continue;
    if (depth >= MAX_ATTRIBUTE_NESTING)
      refuse(
        signal,
        path,
        `nests lists and maps deeper than MAX_ATTRIBUTE_NESTING (${MAX_ATTRIBUTE_NESTING})`,
      );
    if (!isObject(inner)) refuse(signal, `${path}.${field}`, 'must be an object with values');
    if (field === 'arrayValue')
      checkList(signal, inner.values, `${path}.arrayValue.values`, (x, p) =>
        checkAnyValue(signal, x, p, depth + 1),
      );
    else checkKeyValues(signal, inner.values, `${path}.kvlistValue.values`, depth + 1);
  }
}

function checkMessage(signal: Signal, v: unknown, shape: Shape, path: string): void {
  if (v === undefined || v === null) return;
  if (!isObject(v)) refuse(signal, path, 'must be an object');
  for (const [field, s] of Object.entries(shape)) {
    const p = `${path}.${field}`;
    if (s === 'keyValues') checkKeyValues(signal, v[field], p, 0);
    else if (s === 'anyValue') checkAnyValue(signal, v[field], p, 0);
    else if (Array.isArray(s)) checkList(signal, v[field], p, (x, q) => checkItem(signal, x, s[1], q));
    else checkMessage(signal, v[field], s, p);
  }
}

/** A message in a list: null there is no message at all. */
function checkItem(signal: Signal, v: unknown, shape: Shape, path: string): void {
  if (!isObject(v)) refuse(signal, path, 'must be an object');
  checkMessage(signal, v, shape, path);
}

/** Refuses (400, naming the field) a decoded request whose structure the mapping could not walk. */
export function checkRequestShape(signal: Signal, decoded: Record<string, unknown>): void {
  const [top, shape] = SHAPES[signal];
  checkList(signal, decoded[top], top, (x, p) => checkItem(signal, x, shape, p));
}
