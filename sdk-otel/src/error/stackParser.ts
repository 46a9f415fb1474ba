/** One frame of a stack trace. */
export interface StackFrame {
  fn?: string;
  url: string;
  line?: number;
  column?: number;
}

// Chrome / V8:   "    at fn (https://x/a.js:10:5)", "    at https://x/a.js:10:5", "    at async fn (…)"
const CHROME =
  /^\s*at (?:(?:async )?(.+?) \()?((?:[a-z-]+:|\/|<anonymous>|native|eval)[^\s)]*?)(?::(\d+))?(?::(\d+))?\)?\s*$/i;
// Firefox / Safari: "fn@https://x/a.js:10:5", "@https://x/a.js:10:5", "global code@…", "https://x/a.js:10:5"
const GECKO = /^\s*(?:(.*?)@)?((?:[a-z-]+:|\/|\[native code\])[^\s]*?)(?::(\d+))?(?::(\d+))?\s*$/i;

/** Parses V8 (Chrome, Edge), SpiderMonkey (Firefox) and JavaScriptCore (Safari) stack formats. */
export function parseStack(stack: string | undefined): StackFrame[] {
  if (!stack) return [];
  const frames: StackFrame[] = [];
  for (const line of stack.split('\n')) {
    const m = CHROME.exec(line) || (/^\s*at /.test(line) ? null : GECKO.exec(line));
    if (!m) continue;
    const frame: StackFrame = { url: m[2]! };
    if (m[1]) frame.fn = m[1];
    if (m[3]) frame.line = +m[3];
    if (m[4]) frame.column = +m[4];
    frames.push(frame);
  }
  return frames;
}

/** The frames as one V8-style text, used when an error has no stack of its own (a browser event's location). */
export function formatFrames(frames: StackFrame[]): string {
  return frames
    .map(
      (f) =>
        `    at ${f.fn ? `${f.fn} (` : ''}${f.url}${f.line ? `:${f.line}` : ''}${f.column ? `:${f.column}` : ''}${f.fn ? ')' : ''}`,
    )
    .join('\n');
}
