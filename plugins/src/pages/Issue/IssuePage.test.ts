import { parseStack } from './IssuePage';

describe('parseStack', () => {
  it('puts the application frames before library ones, keeping their order', () => {
    const stack = [
      'TypeError: x is undefined',
      '    at lib (https://shop.example.com/node_modules/react-dom/index.js:1:2)',
      '    at total (https://shop.example.com/src/cart.ts:10:5)',
      '    at render (https://shop.example.com/src/app.ts:3:1)',
    ].join('\n');
    expect(parseStack(stack).map((f) => [f.inApp, f.text.split(' ')[1]])).toEqual([
      [true, 'total'],
      [true, 'render'],
      [false, 'lib'],
    ]);
  });
});
