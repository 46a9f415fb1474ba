/*
 * docs/semantic-conventions.md is generated from the model so that the two never disagree. This test
 * fails when they differ; `npm run docs:model` rewrites the doc.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EventName, EVENT_KINDS } from './kinds';
import { ATTRIBUTES } from './registry';

const ROOT = join(__dirname, '..', '..');
const DOC = join(ROOT, 'docs', 'semantic-conventions.md');

const KIND_NOTES: Record<(typeof EVENT_KINDS)[number], { names: string[]; brief: string }> = {
  session: {
    names: [EventName.SESSION_START, EventName.SESSION_END],
    brief: 'A visit: starts at the first event, ends after inactivity or at the maximum length',
  },
  view: {
    names: [EventName.VIEW, EventName.BROWSER_NAVIGATION],
    brief: 'A page shown to the user: initial load, SPA route change or bfcache restore',
  },
  action: {
    names: [EventName.ACTION, EventName.BROWSER_CLICK],
    brief: 'A click or a custom action, lasting until the page settles',
  },
  resource: { names: [EventName.RESOURCE], brief: 'A resource or fetch/XHR request, with timing phases' },
  error: {
    names: [EventName.EXCEPTION],
    brief: 'An uncaught error, rejection, console error, failed resource or CSP violation',
  },
  long_task: {
    names: [EventName.LONG_TASK],
    brief: 'A long animation frame or long task blocking the main thread',
  },
  web_vital: { names: [EventName.WEB_VITAL], brief: 'LCP, INP, CLS, FCP or TTFB with its rating' },
  replay_segment: { names: [EventName.REPLAY_SEGMENT], brief: 'A chunk of session replay (rrweb events)' },
};

/** `/** doc *\/ export const NAME = value;` entries of limits.ts, in order. */
function limits(): { name: string; value: string; brief: string }[] {
  const src = readFileSync(join(__dirname, 'limits.ts'), 'utf8');
  const out: { name: string; value: string; brief: string }[] = [];
  const re = /\/\*\*\s*([\s\S]*?)\s*\*\/\s*export const (\w+) = ([^;]+);/g;
  for (let m = re.exec(src); m; m = re.exec(src)) {
    out.push({ brief: m[1]!.replace(/\s*\n\s*\*\s*/g, ' '), name: m[2]!, value: m[3]!.trim() });
  }
  return out;
}

function render(): string {
  const lines = [
    '# The RUM model: semantic conventions',
    '',
    '<!-- Generated from model/src by `npm run docs:model`; edit the model, not this file. -->',
    '',
    'Every name below is exported by the model package (`@otel-rum/model`), which the SDK, the server and the',
    'plugins import, so that no name is spelled twice. OpenTelemetry semantic conventions are used where they',
    'exist, spelled exactly; what RUM needs beyond them lives under one namespace, `rum.*`.',
    '',
    'Events travel as OTLP log records whose `EventName` field (not an attribute) names the event; fetch and',
    'XHR requests travel as spans. Application, service and browser facts are resource attributes.',
    '',
    '## Event kinds',
    '',
    '| kind | event names | what it is |',
    '| --- | --- | --- |',
    ...EVENT_KINDS.map(
      (k) =>
        `| \`${k}\` | ${KIND_NOTES[k].names.map((n) => `\`${n}\``).join(', ')} | ${KIND_NOTES[k].brief} |`,
    ),
    '',
    `\`${EventName.BROWSER_CONSOLE}\` records at severity ERROR or above are errors too.`,
    '',
    '## Attributes',
    '',
    'Origin `otel` means the name is an OpenTelemetry semantic convention; `rum` means it is ours.',
    '',
    '| name | type | origin | on | meaning |',
    '| --- | --- | --- | --- | --- |',
    ...ATTRIBUTES.map(
      (a) =>
        `| \`${a.name}\` | ${a.type} | ${a.origin} | ${a.on === 'all' || a.on === 'resource' ? a.on : a.on.join(', ')} | ${a.brief} |`,
    ),
    '',
    '## Limits',
    '',
    'Named constants in `model/src/limits.ts`. The SDK trims to them before sending; the server refuses or',
    'truncates past them and says which limit was hit.',
    '',
    '| constant | value | meaning |',
    '| --- | --- | --- |',
    ...limits().map((l) => `| \`${l.name}\` | \`${l.value.replace(/\|/g, '\\|')}\` | ${l.brief} |`),
    '',
  ];
  return lines.join('\n');
}

it('docs/semantic-conventions.md matches the model (run `npm run docs:model` to regenerate)', () => {
  const expected = render();
  if (process.env.UPDATE_DOCS === '1') writeFileSync(DOC, expected);
  expect(readFileSync(DOC, 'utf8')).toBe(expected);
});
