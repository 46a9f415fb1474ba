/*
 * Stack traces in the exact shapes the browsers print them, for one bug (computeTotal reading a
 * missing cart) as built by a bundler. Written for these tests.
 */

export const CHROME_STACK = `TypeError: Cannot read properties of undefined (reading 'total')
    at computeTotal (https://shop.example.com/assets/index-B7k2xQ9a.js:1:20544)
    at CartSummary (https://shop.example.com/assets/index-B7k2xQ9a.js:1:21002)
    at renderWithHooks (https://shop.example.com/assets/vendor-Dk3m9PqZ.js:2:3345)
    at HTMLButtonElement.<anonymous> (https://shop.example.com/assets/index-B7k2xQ9a.js:1:900)
    at async Promise.all (index 0)
    at new Cart (https://shop.example.com/src/cart.ts:10:5)
    at Object.handle [as onClick] (https://shop.example.com/src/ui.ts:3:7)
    at https://shop.example.com/src/main.ts:1:1
    at Array.forEach (<anonymous>)
    at eval (eval at run (https://shop.example.com/src/main.ts:5:3), <anonymous>:1:1)`;

/** The same bug after a rebuild: new bundle hash, other columns, another user's cart id. */
export const CHROME_STACK_NEXT_BUILD = `TypeError: Cannot read properties of undefined (reading 'total')
    at computeTotal (https://shop.example.com/assets/index-C9q1vR4t.js:1:20871)
    at CartSummary (https://shop.example.com/assets/index-C9q1vR4t.js:1:21330)
    at renderWithHooks (https://shop.example.com/assets/vendor-Dk3m9PqZ.js:2:3345)`;

/** Thrown through a browser extension and a CDN library before reaching the app. */
export const CHROME_STACK_VIA_EXTENSION = `Error: boom
    at inject (chrome-extension://abcdefghijklmnopabcdefghijklmnop/content.js:5:11)
    at https://cdn.jsdelivr.net/npm/lib@1.2.3/dist/lib.min.js:1:100
    at checkout (https://shop.example.com/static/js/main.3f2a1b9c.js:2:400)`;

export const FIREFOX_STACK = `computeTotal@https://shop.example.com/assets/index-B7k2xQ9a.js:1:20544
CartSummary@https://shop.example.com/assets/index-B7k2xQ9a.js:1:21002
renderWithHooks@https://shop.example.com/assets/vendor-Dk3m9PqZ.js:2:3345
promise callback*loadCart@https://shop.example.com/src/cart.js:20:9
Cart/<@https://shop.example.com/src/cart.js:4:2
@https://shop.example.com/src/main.js:1:1
run@https://shop.example.com/src/main.js line 5 > eval:1:1
inject@moz-extension://2b6f3c1e-1111-4a2b-9c3d-abcdefabcdef/content.js:5:11
fetchLib@https://cdn.jsdelivr.net/npm/lib@1.2.3/dist/lib.min.js:1:100
`;

export const SAFARI_STACK = `computeTotal@https://shop.example.com/assets/index-B7k2xQ9a.js:1:20544
CartSummary@https://shop.example.com/assets/index-B7k2xQ9a.js:1:21002
forEach@[native code]
[native code]
global code@https://shop.example.com/src/main.js:1:1
module code@https://shop.example.com/src/mod.js:2:3
inject@safari-web-extension://8D4C2F1A-1111-4A2B-9C3D-ABCDEFABCDEF/content.js:5:11`;
