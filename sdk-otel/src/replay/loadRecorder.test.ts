import { ownScriptUrl } from './loadRecorder';

describe('ownScriptUrl (where the CDN bundle loads its replay chunk from)', () => {
  const page = 'https://shop.example/checkout?step=2';
  beforeAll(() => {
    (globalThis as { location?: { href: string } }).location = { href: page };
  });

  it('names the file of the innermost frame in V8 stacks, with and without a function name', () => {
    const named = `Error\n    at loadScript (https://cdn.example:8443/sdk/otel-rum.min.js:2:14057)\n    at https://shop.example/app.js:1:10`;
    expect(ownScriptUrl(named)).toBe('https://cdn.example:8443/sdk/otel-rum.min.js');
    const anonymous = `Error\n    at https://cdn.example/sdk/otel-rum.min.js?v=3:2:99\n    at new Promise (<anonymous>)`;
    expect(ownScriptUrl(anonymous)).toBe('https://cdn.example/sdk/otel-rum.min.js?v=3');
  });

  it('names it in SpiderMonkey and JavaScriptCore stacks', () => {
    expect(ownScriptUrl('loadScript@https://cdn.example/otel-rum.min.js:2:140\n@https://x/y.js:1:1')).toBe(
      'https://cdn.example/otel-rum.min.js',
    );
    expect(ownScriptUrl('global code@http://localhost:3000/sdk/otel-rum.min.js:1:1')).toBe(
      'http://localhost:3000/sdk/otel-rum.min.js',
    );
  });

  it("falls back to the page's URL when the stack names no file (bundle inline and unnamed, stack traces off)", () => {
    expect(ownScriptUrl('Error\n    at loadScript (<anonymous>:1:2)')).toBe(page);
    expect(ownScriptUrl('')).toBe(page);
  });
});
