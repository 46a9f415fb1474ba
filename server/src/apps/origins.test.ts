import { normaliseOriginPattern, originAllowed } from './origins';

describe('allowed origin entries', () => {
  it.each([
    ['https://Shop.Example.com', 'https://shop.example.com'],
    ['https://shop.example.com:443/', 'https://shop.example.com'],
    ['http://localhost:80', 'http://localhost'],
    ['http://localhost:3000', 'http://localhost:3000'],
    ['https://*.Example.com', 'https://*.example.com'],
    ['http://[::1]:8080', 'http://[::1]:8080'],
    ['capacitor://localhost', 'capacitor://localhost'],
    ['*', '*'],
    [' self ', 'self'],
  ])('spells %s as %s', (raw, spelled) => {
    expect(normaliseOriginPattern(raw)).toEqual({ ok: spelled });
  });

  it.each([
    ['https://shop.test/app', 'has a path'],
    ['shop.test', 'is not an origin'],
    ['https://shop.test:99999', 'invalid port'],
    ['https://*.[::1]', 'wildcard needs a domain'],
    ['', 'non-empty'],
    [42, 'non-empty string'],
  ])('refuses %j: %s', (raw, message) => {
    const r = normaliseOriginPattern(raw);
    expect('error' in r && r.error).toContain(message);
  });
});

describe('origin matching', () => {
  const host = '127.0.0.1:4318';
  it.each([
    [['https://shop.test'], 'https://shop.test', true],
    [['https://shop.test'], 'https://SHOP.test', true],
    [['https://shop.test'], 'http://shop.test', false],
    [['https://shop.test'], 'https://shop.test:8443', false],
    [['https://*.shop.test'], 'https://a.b.shop.test', true],
    [['https://*.shop.test'], 'https://shop.test', false],
    [['https://*.shop.test'], 'https://evilshop.test', false],
    [['https://*.shop.test'], 'http://a.shop.test', false],
    [['https://*.shop.test:8443'], 'https://a.shop.test:8443', true],
    [['https://*.shop.test:8443'], 'https://a.shop.test', false],
    [['self'], 'http://127.0.0.1:4318', true],
    [['self'], 'http://localhost:4318', false],
    [['*'], 'null', true],
    [[], 'https://shop.test', false],
  ])('%j allows %s: %s', (patterns, origin, allowed) => {
    expect(originAllowed(patterns, origin, host)).toBe(allowed);
  });
});
