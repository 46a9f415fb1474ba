import { APP_ID_PATTERN, MAX_APP_ID_LENGTH } from '@otel-rum/model';
import { DEFAULT_ENDPOINT, isAppId, resolveConfig, RumConfigError } from './config';

describe('init options', () => {
  it('applies the documented defaults', () => {
    const c = resolveConfig({ appId: 'shop_1' });
    expect(c).toMatchObject({
      endpoint: DEFAULT_ENDPOINT,
      service: { name: 'browser-app' },
      sessionSampleRate: 100,
      traceSampleRate: 100,
      sessionIdleTimeoutMs: 15 * 60 * 1000,
      sessionMaxDurationMs: 4 * 60 * 60 * 1000,
      trackingConsent: 'granted',
      propagators: ['tracecontext'],
      privacy: 'mask',
      redactUrls: true,
      compression: true,
      offlineQueue: false,
    });
  });

  it('strips trailing slashes from the endpoint', () => {
    expect(resolveConfig({ appId: 'a', endpoint: 'https://otel.example.com/' }).endpoint).toBe(
      'https://otel.example.com',
    );
    expect(resolveConfig({ appId: 'a', endpoint: 'http://h:4318/otlp//' }).endpoint).toBe(
      'http://h:4318/otlp',
    );
    expect(resolveConfig({ appId: 'a', endpoint: '/otlp/' }).endpoint).toBe('/otlp');
  });

  it.each([
    [{ appId: 'has space' }, 'appId'],
    [{}, 'appId'],
    [{ appId: 'a', endpoint: 'ftp://x' }, 'endpoint'],
    [{ appId: 'a', endpoint: 'https:///path' }, 'endpoint'],
    [{ appId: 'a', endpoint: 'http://' }, 'endpoint'],
    [{ appId: 'a', endpoint: '///' }, 'endpoint'],
    [{ appId: 'a', endpoint: 'otel.example.com' }, 'endpoint'],
    [{ appId: 'a', endpoint: 42 }, 'endpoint'],
    [{ appId: 'a', sessionSampleRate: 101 }, 'sessionSampleRate'],
    [{ appId: 'a', traceSampleRate: -1 }, 'traceSampleRate'],
    [{ appId: 'a', sessionIdleTimeoutMs: 0 }, 'sessionIdleTimeoutMs'],
    [{ appId: 'a', trackingConsent: 'yes' }, 'trackingConsent'],
    [{ appId: 'a', privacy: 'hide' }, 'privacy'],
    [{ appId: 'a', propagators: ['jaeger'] }, 'propagators'],
    [{ appId: 'a', beforeSend: 'drop' }, 'beforeSend'],
    [{ appId: 'a', trackActions: 'yes' }, 'trackActions'],
    [{ appId: 'a', ignoreErrors: [{}] }, 'ignoreErrors'],
    [{ appId: 'a', allowedTracingUrls: 'https://api' }, 'allowedTracingUrls'],
    [{ appId: 'a', protocol: 'grpc' }, 'protocol'],
  ])('refuses %j naming the option', (options, option) => {
    expect(() => resolveConfig(options as never)).toThrow(RumConfigError);
    expect(() => resolveConfig(options as never)).toThrow(`"${option}"`);
  });

  it("checks the app id as the model's APP_ID_PATTERN does, every character code and length", () => {
    const samples = [
      '',
      'a',
      'Z',
      '0',
      '_',
      'shop_1',
      'a'.repeat(MAX_APP_ID_LENGTH),
      'a'.repeat(MAX_APP_ID_LENGTH + 1),
    ];
    for (let c = 0; c < 0x3000; c++) {
      const ch = String.fromCharCode(c);
      samples.push(ch, `a${ch}`, `${ch}b`, `a${ch}b`);
    }
    samples.push('ab\n', 'ab\u00e9', 'ab\ud83d\ude00', 'has space');
    expect(samples.filter((s) => isAppId(s) !== APP_ID_PATTERN.test(s))).toEqual([]);
    for (const v of [undefined, null, 42, {}, ['a']]) expect(isAppId(v)).toBe(false);
  });
});
