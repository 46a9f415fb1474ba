import { startTestServer, type TestServer } from '../../../tests/support/server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ demo: false });
});
afterAll(() => server.close());

it('describes the management endpoints, the bearer scheme, and which paths are open', async () => {
  const doc = await (await fetch(server.url + '/api/v1/openapi.json')).json();
  expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
  expect(doc.security).toEqual([{ bearerAuth: [] }]);
  const methods = (path: string) => Object.keys(doc.paths[path] ?? {}).filter((k) => k !== 'parameters');
  expect(methods('/api/v1/apps')).toEqual(['get', 'post']);
  expect(methods('/api/v1/apps/{appId}')).toEqual(['get', 'patch', 'delete']);
  expect(methods('/api/v1/apps/{appId}/snippet')).toEqual(['get']);
  expect(methods('/api/v1/tokens')).toEqual(['get', 'post']);
  expect(methods('/api/v1/tokens/{id}')).toEqual(['delete']);
  for (const path of [
    '/v1/logs',
    '/v1/traces',
    '/v1/metrics',
    '/collect/{appId}/v1/logs',
    '/collect/{appId}',
  ])
    expect(doc.paths[path].post).toMatchObject({ security: [], responses: { '403': {}, '429': {} } });
  expect(doc.paths['/healthz'].get.security).toEqual([]);
  expect(doc.paths['/sdk/otel-rum.min.js'].get.security).toEqual([]);
  const app = doc.components.schemas.Application;
  expect(app.required).toEqual(
    expect.arrayContaining(['appId', 'previousAppIds', 'rateLimit', 'dashboards']),
  );
  expect(doc.components.schemas.ApplicationInput.properties.type.enum).toContain('react-native');
  // Every $ref points at something the document defines.
  const refs = JSON.stringify(doc).match(/"\$ref":"#\/components\/[^"]+"/g) ?? [];
  for (const r of new Set(refs)) {
    const [, kind, name] = /#\/components\/(\w+)\/(\w+)/.exec(r)!;
    expect(doc.components[kind!][name!]).toBeDefined();
  }
});
