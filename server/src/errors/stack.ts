/*
 * Reads the stack traces browsers produce into frames. Two shapes exist:
 *   V8 (Chrome, Edge, Node):   "    at fn (https://host/app.js:12:34)" or "    at https://host/app.js:12:34"
 *   Firefox and Safari:        "fn@https://host/app.js:12:34" or "@https://host/app.js:12:34"
 * Lines that are neither (the message line, "[native code]" markers) are skipped. Stacks of native apps
 * (JVM, Dart, Apple, C++) are read by native-stack.ts.
 */
import { MAX_STACKTRACE_LENGTH } from '@otel-rum/model';
import { parseNativeStack } from './native-stack';

export interface Frame {
  /** Function name without decoration (`new `, `async `, `Object.`, ` [as x]`, Firefox `/<`); null if anonymous. */
  function: string | null;
  /** Script URL or path; null for native and built-in frames. */
  file: string | null;
  line: number | null;
  column: number | null;
  /** Whether the frame is the app's own code, when the stack's shape tells it (native stacks: native-stack.ts). */
  inApp?: boolean;
}

const V8_FRAME = /^\s*at (.*)$/;
const LINE_COLUMN = /:(\d+)(?::(\d+))?$/;
const V8_EVAL_SITE = /\(([^()]*:\d+:\d+)\)/;
const GECKO_FRAME = /^\s*(.*?)@(.*)$/;
const GECKO_EVAL = /^(.*?) line \d+ > (?:eval|Function)/;
const ANONYMOUS = new Set([
  '',
  '<anonymous>',
  'anonymous',
  'global code',
  'module code',
  'eval code',
  'eval',
]);

function cleanFunction(name: string): string | null {
  let fn = name.trim();
  fn = fn.replace(/^async /, '').replace(/^new /, '');
  fn = fn.replace(/ \[as [^\]]*\]$/, '');
  // Firefox: "promise callback*outer/inner/<" names the async cause before '*' and nests with '/'.
  fn = fn.slice(fn.lastIndexOf('*') + 1);
  fn = fn.replace(/(?:\/<)+$/, '').replace(/\/<\//g, '/');
  fn = fn.replace(/^Object\./, '');
  if (fn.endsWith('.<anonymous>')) fn = fn.slice(0, -'.<anonymous>'.length);
  return ANONYMOUS.has(fn) ? null : fn;
}

function readLocation(location: string): Pick<Frame, 'file' | 'line' | 'column'> {
  const m = LINE_COLUMN.exec(location);
  if (!m) return { file: null, line: null, column: null };
  const file = location.slice(0, m.index);
  if (file === '' || file === '<anonymous>' || file === 'native')
    return { file: null, line: null, column: null };
  return { file, line: Number(m[1]), column: m[2] === undefined ? null : Number(m[2]) };
}

/** "fn (location)" split at its first " (", or null when the line is a bare location or name. */
function splitCall(body: string): [string, string] | null {
  if (!body.endsWith(')')) return null;
  const open = body.startsWith('eval at ') ? -1 : body.indexOf(' (');
  if (open < 0) return null;
  return [body.slice(0, open), body.slice(open + 2, -1)];
}

function parseV8(body: string): Frame {
  const call = splitCall(body);
  let fn: string | null = null;
  let location = body;
  if (call) {
    fn = cleanFunction(call[0]);
    location = call[1];
  }
  // "eval at outer (https://host/app.js:5:3), <anonymous>:1:1": the script that called eval.
  if (location.startsWith('eval at ')) {
    const site = V8_EVAL_SITE.exec(location);
    location = site ? (site[1] as string) : '';
  }
  const where = readLocation(location);
  // "at fnName" alone (no location) names a function with no script behind it.
  if (!call && where.file === null)
    return { function: cleanFunction(body), file: null, line: null, column: null };
  return { function: fn, ...where };
}

function parseGecko(line: string): Frame | null {
  const m = GECKO_FRAME.exec(line);
  if (!m) return null;
  let location = (m[2] as string).trim();
  const fn = cleanFunction(m[1] as string);
  if (location === '[native code]') return { function: fn, file: null, line: null, column: null };
  const evalSite = GECKO_EVAL.exec(location);
  if (evalSite) location = `${evalSite[1] as string}:0:0`;
  const where = readLocation(location);
  // A message that happens to contain '@' ("bad address a@b.com") has no line number after it.
  if (where.file === null) return null;
  return { function: fn, ...where };
}

/** The frames of a stack trace, innermost first; lines that are not frames are skipped. */
export function parseStack(stack: string | null | undefined): Frame[] {
  if (!stack) return [];
  // Stack traces are stored up to this length; reading past it would only cost time.
  const lines = stack.slice(0, MAX_STACKTRACE_LENGTH).split(/\r?\n/);
  const native = parseNativeStack(lines);
  if (native) return native;
  const frames: Frame[] = [];
  if (lines.some((l) => V8_FRAME.test(l))) {
    for (const line of lines) {
      const m = V8_FRAME.exec(line);
      if (m) frames.push(parseV8((m[1] as string).trim()));
    }
    return frames;
  }
  for (const line of lines) {
    const trimmed = line.trim();
    if (trimmed === '[native code]') continue;
    const frame = parseGecko(trimmed);
    if (frame) frames.push(frame);
  }
  return frames;
}
