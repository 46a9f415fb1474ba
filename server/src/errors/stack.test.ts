import { isInAppFrame } from './in-app';
import { parseStack, type Frame } from './stack';
import { CHROME_STACK, CHROME_STACK_VIA_EXTENSION, FIREFOX_STACK, SAFARI_STACK } from './stacks.fixture';

const frame = (
  fn: string | null,
  file: string | null,
  line: number | null = null,
  column: number | null = null,
): Frame => ({
  function: fn,
  file,
  line,
  column,
});

describe('parseStack', () => {
  it('reads V8 (Chrome, Edge) frames with and without a function, skipping the message line', () => {
    expect(parseStack(CHROME_STACK)).toEqual([
      frame('computeTotal', 'https://shop.example.com/assets/index-B7k2xQ9a.js', 1, 20544),
      frame('CartSummary', 'https://shop.example.com/assets/index-B7k2xQ9a.js', 1, 21002),
      frame('renderWithHooks', 'https://shop.example.com/assets/vendor-Dk3m9PqZ.js', 2, 3345),
      frame('HTMLButtonElement', 'https://shop.example.com/assets/index-B7k2xQ9a.js', 1, 900),
      frame('Promise.all', null),
      frame('Cart', 'https://shop.example.com/src/cart.ts', 10, 5),
      frame('handle', 'https://shop.example.com/src/ui.ts', 3, 7),
      frame(null, 'https://shop.example.com/src/main.ts', 1, 1),
      frame('Array.forEach', null),
      frame(null, 'https://shop.example.com/src/main.ts', 5, 3),
    ]);
  });

  it('reads Firefox frames: async causes, nested closures, anonymous and eval frames', () => {
    expect(parseStack(FIREFOX_STACK)).toEqual([
      frame('computeTotal', 'https://shop.example.com/assets/index-B7k2xQ9a.js', 1, 20544),
      frame('CartSummary', 'https://shop.example.com/assets/index-B7k2xQ9a.js', 1, 21002),
      frame('renderWithHooks', 'https://shop.example.com/assets/vendor-Dk3m9PqZ.js', 2, 3345),
      frame('loadCart', 'https://shop.example.com/src/cart.js', 20, 9),
      frame('Cart', 'https://shop.example.com/src/cart.js', 4, 2),
      frame(null, 'https://shop.example.com/src/main.js', 1, 1),
      frame('run', 'https://shop.example.com/src/main.js', 0, 0),
      frame('inject', 'moz-extension://2b6f3c1e-1111-4a2b-9c3d-abcdefabcdef/content.js', 5, 11),
      frame('fetchLib', 'https://cdn.jsdelivr.net/npm/lib@1.2.3/dist/lib.min.js', 1, 100),
    ]);
  });

  it('reads Safari frames, including native code and global/module code', () => {
    expect(parseStack(SAFARI_STACK)).toEqual([
      frame('computeTotal', 'https://shop.example.com/assets/index-B7k2xQ9a.js', 1, 20544),
      frame('CartSummary', 'https://shop.example.com/assets/index-B7k2xQ9a.js', 1, 21002),
      frame('forEach', null),
      frame(null, 'https://shop.example.com/src/main.js', 1, 1),
      frame(null, 'https://shop.example.com/src/mod.js', 2, 3),
      frame('inject', 'safari-web-extension://8D4C2F1A-1111-4A2B-9C3D-ABCDEFABCDEF/content.js', 5, 11),
    ]);
  });

  it('does not take a message containing @ for a frame', () => {
    expect(parseStack('Error: no account for jane@example.com\n    at f (https://a.test/x.js:1:2)')).toEqual([
      frame('f', 'https://a.test/x.js', 1, 2),
    ]);
    expect(parseStack('invalid address jane@example.com')).toEqual([]);
  });

  it('returns no frames for empty, missing or frameless stacks', () => {
    expect(parseStack('')).toEqual([]);
    expect(parseStack(null)).toEqual([]);
    expect(parseStack(undefined)).toEqual([]);
    expect(parseStack('Script error.')).toEqual([]);
  });

  it('stays fast on hostile lines', () => {
    const started = Date.now();
    parseStack('    at ' + 'a ('.repeat(200_000));
    parseStack('    at eval at ' + '(x:1:1'.repeat(100_000));
    parseStack('f@' + ':1'.repeat(200_000) + 'x');
    parseStack('    at f (https://a.test/x.js:1:2)\n'.repeat(100_000));
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('reads Windows line endings', () => {
    expect(parseStack('Error: x\r\n    at f (https://a.test/x.js:1:2)\r\n')).toEqual([
      frame('f', 'https://a.test/x.js', 1, 2),
    ]);
  });
});

describe('isInAppFrame', () => {
  it('keeps the app and drops extensions, CDNs, vendor bundles and native frames', () => {
    const files = parseStack(CHROME_STACK_VIA_EXTENSION).map((f) => [f.file, isInAppFrame(f)]);
    expect(files).toEqual([
      ['chrome-extension://abcdefghijklmnopabcdefghijklmnop/content.js', false],
      ['https://cdn.jsdelivr.net/npm/lib@1.2.3/dist/lib.min.js', false],
      ['https://shop.example.com/static/js/main.3f2a1b9c.js', true],
    ]);
    const inApp = (file: string | null) => isInAppFrame(frame('f', file, 1, 1));
    expect(inApp(null)).toBe(false);
    expect(inApp('https://shop.example.com/assets/vendor-Dk3m9PqZ.js')).toBe(false);
    expect(inApp('https://shop.example.com/_next/static/chunks/framework-2c79e2a64abdb08b.js')).toBe(false);
    expect(inApp('webpack-internal:///./node_modules/react-dom/cjs/react-dom.development.js')).toBe(false);
    expect(inApp('https://www.googletagmanager.com/gtm.js?id=GTM-XXXX')).toBe(false);
    expect(inApp('https://shop.example.com/js/jquery-3.7.1.min.js')).toBe(false);
    expect(inApp('moz-extension://uuid/content.js')).toBe(false);
    expect(inApp('https://shop.example.com/src/cart.ts')).toBe(true);
    expect(inApp('https://shop.example.com/assets/reactions.js')).toBe(true);
  });
});
