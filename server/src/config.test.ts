import { DEFAULT_BACKEND_EVENTS_PER_SECOND } from '@otel-rum/model';
import { loadConfig } from './config';

describe('configuration of applications, tokens and admission', () => {
  it('has no global origins, no configured token and the listening address as public URL by default', () => {
    const cfg = loadConfig({});
    expect(cfg.corsOrigins).toEqual([]);
    expect(cfg.adminToken).toBe('');
    expect(cfg.publicUrl).toBe('');
    expect(cfg.backendEventsPerSecond).toBe(DEFAULT_BACKEND_EVENTS_PER_SECOND);
  });

  it('reads the settings from the environment, normalising origins and the public URL', () => {
    const cfg = loadConfig({
      RUM_CORS_ORIGINS: 'https://Portal.example.com:443, *',
      RUM_ADMIN_TOKEN: 'a-long-enough-admin-token',
      RUM_PUBLIC_URL: 'https://rum.example.com/',
      RUM_BACKEND_EVENTS_PER_SECOND: '1500',
      RUM_CHECKPOINT_MIB: '64',
      RUM_TRUSTED_PROXIES: '10.0.0.0/8, fd00::/8',
    });
    expect(cfg.trustedProxies).toEqual(['10.0.0.0/8', 'fd00::/8']);
    expect(loadConfig({ RUM_TRUSTED_PROXIES: 'none' }).trustedProxies).toEqual([]);
    expect(cfg.checkpointMib).toBe(64);
    expect(cfg.corsOrigins).toEqual(['https://portal.example.com', '*']);
    expect(cfg.adminToken).toBe('a-long-enough-admin-token');
    expect(cfg.publicUrl).toBe('https://rum.example.com');
    expect(cfg.backendEventsPerSecond).toBe(1500);
  });

  it.each([
    [
      { RUM_CORS_ORIGINS: 'https://a.test/app' },
      'environment variable RUM_CORS_ORIGINS: "https://a.test/app" has a path',
    ],
    [{ RUM_ADMIN_TOKEN: 'short' }, 'RUM_ADMIN_TOKEN must be at least 16 characters'],
    [{ RUM_ADMIN_TOKEN: 'has a space in the middle' }, 'without spaces'],
    [{ RUM_PUBLIC_URL: 'rum.example.com' }, 'RUM_PUBLIC_URL must be an http(s) URL'],
    [{ RUM_BACKEND_EVENTS_PER_SECOND: '0' }, 'RUM_BACKEND_EVENTS_PER_SECOND must be a number above 0'],
    [{ RUM_CHECKPOINT_MIB: '1GB' }, 'RUM_CHECKPOINT_MIB must be a non-negative integer'],
    [{ RUM_TRUSTED_PROXIES: '10.0.0.0/8,lb.internal' }, 'RUM_TRUSTED_PROXIES: "lb.internal" is not an IP'],
  ])('refuses %j naming the setting', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });
});
