import { formatFrames, parseStack } from './stackParser';

describe('stack parsing', () => {
  it('reads V8 (Chrome, Edge) stacks', () => {
    const stack = `TypeError: x is undefined
    at handleClick (https://a.com/app.js:10:5)
    at async load (https://a.com/app.js:20:7)
    at https://a.com/vendor.js:1:100
    at new Foo (https://a.com/app.js:30:1)`;
    expect(parseStack(stack)).toEqual([
      { fn: 'handleClick', url: 'https://a.com/app.js', line: 10, column: 5 },
      { fn: 'load', url: 'https://a.com/app.js', line: 20, column: 7 },
      { url: 'https://a.com/vendor.js', line: 1, column: 100 },
      { fn: 'new Foo', url: 'https://a.com/app.js', line: 30, column: 1 },
    ]);
  });

  it('reads SpiderMonkey (Firefox) and JavaScriptCore (Safari) stacks', () => {
    const firefox = `handleClick@https://a.com/app.js:10:5
@https://a.com/app.js:3:1
Foo/<.bar@https://a.com/app.js:12:9`;
    expect(parseStack(firefox)).toEqual([
      { fn: 'handleClick', url: 'https://a.com/app.js', line: 10, column: 5 },
      { url: 'https://a.com/app.js', line: 3, column: 1 },
      { fn: 'Foo/<.bar', url: 'https://a.com/app.js', line: 12, column: 9 },
    ]);
    const safari = `handleClick@https://a.com/app.js:10:5
global code@https://a.com/index.html:4:12
forEach@[native code]`;
    expect(parseStack(safari)).toEqual([
      { fn: 'handleClick', url: 'https://a.com/app.js', line: 10, column: 5 },
      { fn: 'global code', url: 'https://a.com/index.html', line: 4, column: 12 },
      { fn: 'forEach', url: '[native code]' },
    ]);
  });

  it('skips lines that are not frames and formats frames back', () => {
    expect(parseStack('Error: boom\nnot a frame')).toEqual([]);
    expect(formatFrames([{ url: 'https://a.com/a.js', line: 1, column: 2 }])).toBe(
      '    at https://a.com/a.js:1:2',
    );
  });
});
