import { APP_TYPES } from '../application';
import { apiFetch, getJson, startTestServer, type TestServer } from '../../../../tests/support/server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({
    demo: false,
    publicUrl: 'https://rum.example.com/',
    apps: [{ appId: 'snip_app', type: 'android', sessionSampleRate: 0.5, traceSampleRate: 0.25 }],
  });
});
afterAll(() => server.close());

interface Answer {
  appId: string;
  type: string;
  endpoint: string;
  snippets: { id: string; title: string; language: string; code: string }[];
}

describe('integration snippets', () => {
  it("answers the application's own type by default, pointing at the public URL", async () => {
    const a: Answer = await getJson(server.url, '/api/v1/apps/snip_app/snippet');
    expect(a).toMatchObject({ appId: 'snip_app', type: 'android', endpoint: 'https://rum.example.com' });
    const code = a.snippets.map((s) => s.code).join('\n');
    expect(code).toContain('OpenTelemetryRumInitializer.initialize(');
    expect(code).toContain('baseUrl = "https://rum.example.com"');
    expect(code).toContain('put("rum.app.id", "snip_app")');
  });

  it.each(APP_TYPES)(
    'writes the %s setup with the app id, the endpoint and the trace sample rate',
    async (type) => {
      const a: Answer = await getJson(server.url, `/api/v1/apps/snip_app/snippet?type=${type}`);
      expect(a.type).toBe(type);
      expect(a.snippets.length).toBeGreaterThanOrEqual(2);
      for (const s of a.snippets) {
        expect(s.title).not.toBe('');
        expect(s.code.trim()).not.toBe('');
      }
      const code = a.snippets.map((s) => s.code).join('\n');
      expect(code).toContain('snip_app');
      expect(code).toContain('https://rum.example.com');
      if (type === 'web') {
        expect(code).toContain('traceSampleRate: 25');
        expect(code).toContain('sessionSampleRate: 50');
        expect(code).toContain('<script data-src="https://rum.example.com/sdk/otel-rum.min.js">');
      } else if (type !== 'flutter' && type !== 'android') {
        expect(code).toMatch(/0\.25/);
      }
      if (type !== 'web') expect(code).toContain('rum.app.id');
    },
  );

  it('refuses an unknown type or parameter with 400, and an unknown application with 404', async () => {
    const bad = await apiFetch(server.url, '/api/v1/apps/snip_app/snippet?type=windows');
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toContain('query parameter type must be one of web, miniapp');
    const param = await apiFetch(server.url, '/api/v1/apps/snip_app/snippet?lang=kotlin');
    expect(param.status).toBe(400);
    expect((await apiFetch(server.url, '/api/v1/apps/nobody/snippet')).status).toBe(404);
  });
});
