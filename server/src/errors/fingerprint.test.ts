import { createHash } from 'node:crypto';
import {
  EXCEPTION_MESSAGE,
  EXCEPTION_STACKTRACE,
  EXCEPTION_TYPE,
  RUM_ERROR_FINGERPRINT,
} from '@otel-rum/model';
import {
  errorFingerprint,
  errorFingerprintFromAttributes,
  groupingFrame,
  normaliseFile,
  parseStack,
} from './fingerprint';
import {
  CHROME_STACK,
  CHROME_STACK_NEXT_BUILD,
  CHROME_STACK_VIA_EXTENSION,
  FIREFOX_STACK,
  SAFARI_STACK,
} from './stacks.fixture';

const TYPE_ERROR = {
  type: 'TypeError',
  message: "Cannot read properties of undefined (reading 'total')",
  stacktrace: CHROME_STACK,
};

describe('errorFingerprint', () => {
  it('is 16 hex digits: sha1 over type, normalised message, and file and function of the top in-app frame', () => {
    const key =
      'TypeError\nCannot read properties of undefined (reading <str>)\n/assets/index-<hash>.js\ncomputeTotal';
    const expected = createHash('sha1').update(key).digest('hex').slice(0, 16);
    expect(errorFingerprint(TYPE_ERROR)).toBe(expected);
    expect(expected).toMatch(/^[0-9a-f]{16}$/);
  });

  it('groups one bug across builds, lines, columns and variable message parts', () => {
    const next = {
      ...TYPE_ERROR,
      message: "Cannot read properties of undefined (reading 'sum')",
      stacktrace: CHROME_STACK_NEXT_BUILD,
    };
    expect(errorFingerprint(next)).toBe(errorFingerprint(TYPE_ERROR));
  });

  it('groups the same bug whichever origin served the script', () => {
    const staging = CHROME_STACK.replace(/shop\.example\.com/g, 'staging.shop.example.com:8443');
    expect(errorFingerprint({ ...TYPE_ERROR, stacktrace: staging })).toBe(errorFingerprint(TYPE_ERROR));
  });

  it('separates errors thrown in other functions, files or with other types or messages', () => {
    const base = errorFingerprint(TYPE_ERROR);
    const otherFunction = CHROME_STACK.replace('at computeTotal', 'at computeTax');
    const otherFile = CHROME_STACK.replace(
      'assets/index-B7k2xQ9a.js:1:20544',
      'assets/checkout-B7k2xQ9a.js:1:20544',
    );
    expect(errorFingerprint({ ...TYPE_ERROR, stacktrace: otherFunction })).not.toBe(base);
    expect(errorFingerprint({ ...TYPE_ERROR, stacktrace: otherFile })).not.toBe(base);
    expect(errorFingerprint({ ...TYPE_ERROR, type: 'RangeError' })).not.toBe(base);
    expect(errorFingerprint({ ...TYPE_ERROR, message: 'Maximum call stack size exceeded' })).not.toBe(base);
  });

  it('groups by the first frame of the app, past extension, CDN and vendor frames', () => {
    const viaExtension = errorFingerprint({
      type: 'Error',
      message: 'boom',
      stacktrace: CHROME_STACK_VIA_EXTENSION,
    });
    const direct = errorFingerprint({
      type: 'Error',
      message: 'boom',
      stacktrace: 'Error: boom\n    at checkout (https://shop.example.com/static/js/main.77aa01bc.js:9:1)',
    });
    expect(viaExtension).toBe(direct);
    expect(groupingFrame(parseStack(FIREFOX_STACK))?.function).toBe('computeTotal');
    expect(groupingFrame(parseStack(SAFARI_STACK))?.function).toBe('computeTotal');
  });

  it('groups Chrome, Firefox and Safari reports of one bug with the same message', () => {
    const fp = (stacktrace: string) =>
      errorFingerprint({ type: 'TypeError', message: 'cart is undefined', stacktrace });
    expect(fp(FIREFOX_STACK)).toBe(fp(CHROME_STACK));
    expect(fp(SAFARI_STACK)).toBe(fp(CHROME_STACK));
  });

  it('falls back to the first frame with a file when no frame is in the app, then to type and message', () => {
    const vendorOnly = 'Error: x\n    at a (https://cdn.jsdelivr.net/npm/lib@1/lib.js:1:1)';
    expect(groupingFrame(parseStack(vendorOnly))?.file).toBe('https://cdn.jsdelivr.net/npm/lib@1/lib.js');
    expect(errorFingerprint({ type: 'Error', message: 'x', stacktrace: vendorOnly })).not.toBe(
      errorFingerprint({ type: 'Error', message: 'x' }),
    );
    expect(errorFingerprint({ type: 'Error', message: 'x', stacktrace: 'no frames here' })).toBe(
      errorFingerprint({ type: 'Error', message: 'x' }),
    );
  });

  it('reads the type from the message when none is given, and ignores the Uncaught prefix', () => {
    const plain = errorFingerprint({ type: 'TypeError', message: 'x is not a function' });
    expect(errorFingerprint({ message: 'Uncaught TypeError: x is not a function' })).toBe(plain);
    expect(errorFingerprint({ type: 'TypeError', message: 'TypeError: x is not a function' })).toBe(plain);
    expect(errorFingerprint({ type: '', message: 'x is not a function' })).toBe(
      errorFingerprint({ type: 'Error', message: 'x is not a function' }),
    );
  });

  it('lets the client name the group with rum.error.fingerprint', () => {
    const chosen = errorFingerprint({ ...TYPE_ERROR, clientFingerprint: 'checkout-total' });
    expect(chosen).toMatch(/^[0-9a-f]{16}$/);
    expect(
      errorFingerprint({ type: 'RangeError', message: 'other', clientFingerprint: ' checkout-total ' }),
    ).toBe(chosen);
    expect(errorFingerprint({ ...TYPE_ERROR, clientFingerprint: 'checkout-tax' })).not.toBe(chosen);
    expect(errorFingerprint({ ...TYPE_ERROR, clientFingerprint: '  ' })).toBe(errorFingerprint(TYPE_ERROR));
  });

  it('reads an error event by the attribute names of the model', () => {
    const attributes = {
      [EXCEPTION_TYPE]: TYPE_ERROR.type,
      [EXCEPTION_MESSAGE]: TYPE_ERROR.message,
      [EXCEPTION_STACKTRACE]: TYPE_ERROR.stacktrace,
    };
    expect(errorFingerprintFromAttributes(attributes)).toBe(errorFingerprint(TYPE_ERROR));
    expect(errorFingerprintFromAttributes({ ...attributes, [RUM_ERROR_FINGERPRINT]: 'mine' })).toBe(
      errorFingerprint({ clientFingerprint: 'mine' }),
    );
    expect(errorFingerprintFromAttributes({ [EXCEPTION_TYPE]: 42 })).toBe(errorFingerprint({}));
  });

  it('handles a stack of a hundred thousand lines in reasonable time', () => {
    const huge = 'Error: x\n' + '    at f (https://a.test/x.js:1:2)\n'.repeat(100_000);
    const started = Date.now();
    expect(errorFingerprint({ message: 'x', stacktrace: huge })).toMatch(/^[0-9a-f]{16}$/);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe('normaliseFile', () => {
  it.each([
    ['https://shop.example.com/static/js/main.3f2a1b9c.js', '/static/js/main.<hash>.js'],
    ['https://shop.example.com/assets/index-B7k2xQ9a.js?v=3#x', '/assets/index-<hash>.js'],
    [
      'https://shop.example.com/_next/static/chunks/pages/cart-0123abcd4567ef89.js',
      '/_next/static/chunks/pages/cart-<hash>.js',
    ],
    ['https://shop.example.com/src/cart.ts', '/src/cart.ts'],
    ['https://shop.example.com/js/app.bundle.js', '/js/app.bundle.js'],
    ['/local/path/app.js', '/local/path/app.js'],
  ])('%s -> %s', (file, expected) => {
    expect(normaliseFile(file)).toBe(expected);
  });
});
