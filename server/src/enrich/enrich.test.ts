import { countryOf } from './country';
import { parseUserAgent } from './user-agent';

describe('user agent', () => {
  it('reads browser, OS and device type', () => {
    expect(
      parseUserAgent(
        'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
      ),
    ).toEqual({ browser: 'Chrome', browserVersion: '131', os: 'Windows', device: 'desktop' });
    expect(
      parseUserAgent(
        'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
      ),
    ).toMatchObject({ browser: 'Mobile Safari', os: 'iOS', device: 'mobile' });
    expect(
      parseUserAgent('Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0'),
    ).toMatchObject({
      browser: 'Firefox',
      os: 'Linux',
    });
    expect(parseUserAgent(null)).toEqual({ browser: null, browserVersion: null, os: null, device: null });
  });
});

describe('country', () => {
  it('finds the country of public IPv4 and IPv6 addresses, and none for local ones', () => {
    expect(countryOf('81.2.69.160')).toBe('GB');
    expect(countryOf('::ffff:8.8.8.8')).toBe('US');
    expect(countryOf('2a00:1450:4001::1')).toMatch(/^[A-Z]{2}$/);
    expect(countryOf('127.0.0.1')).toBeNull();
    expect(countryOf('10.1.2.3')).toBeNull();
    expect(countryOf('not an ip')).toBeNull();
  });
});
