import { setBackendSrv, type BackendSrv } from '@grafana/runtime';
import { QUERY_API_VERSION } from '@otel-rum/model';
import { Observable } from 'rxjs';
import { RumApi } from './api';
import { checkHealth, compareVersions, REQUIRED_PATHS } from './health';

/** Grafana's backend service (outside this project) answering per path, as its data proxy would. */
function proxyAnswers(answers: Record<string, { status: number; data: unknown }>) {
  setBackendSrv({
    fetch: ({ url }: { url: string }) =>
      new Observable((sub) => {
        const path = url.replace('/api/datasources/proxy/uid/x/rum', '');
        const a = answers[path] ?? { status: 404, data: {} };
        if (a.status >= 400) sub.error({ status: a.status, statusText: '', data: a.data, config: { url } });
        else {
          sub.next({ status: a.status, data: a.data, ok: true, config: { url } });
          sub.complete();
        }
      }),
  } as unknown as BackendSrv);
}

const doc = (version: string, paths = REQUIRED_PATHS) => ({
  status: 200,
  data: { info: { version }, paths: Object.fromEntries(paths.map((p) => [p, {}])) },
});
const api = new RumApi('/api/datasources/proxy/uid/x', 'http://rum:4318');

describe('health check', () => {
  it('compares versions', () => {
    expect(compareVersions('0.10.0', '0.2.0')).toBe(1);
    expect(compareVersions('0.2', '0.2.0')).toBe(0);
    expect(compareVersions('0.1.9', '0.2.0')).toBe(-1);
  });

  it('says the server is too old, by version or by missing paths', async () => {
    proxyAnswers({ '/api/v1/openapi.json': doc('0.1.0') });
    const old = await checkHealth(api, { serverUrl: 'http://rum:4318' });
    expect(old).toMatchObject({
      status: 'error',
      message: `The otel-rum server is too old for this plugin: it serves API 0.1.0, the plugin needs ${QUERY_API_VERSION} or newer.`,
    });
    proxyAnswers({ '/api/v1/openapi.json': doc(QUERY_API_VERSION, REQUIRED_PATHS.slice(1)) });
    expect((await checkHealth(api, { serverUrl: 'http://rum:4318' })).details?.message).toContain(
      `Missing: ${REQUIRED_PATHS[0]}`,
    );
  });

  it('names a role that is too weak', async () => {
    proxyAnswers({
      '/api/v1/openapi.json': doc(QUERY_API_VERSION),
      '/api/v1/apps': {
        status: 403,
        data: { error: 'this needs a token with the admin role; token "g" has the read role' },
      },
    });
    expect(await checkHealth(api, { serverUrl: 'http://rum:4318' })).toEqual({
      status: 'error',
      message:
        'The API token\'s role is too weak: this needs a token with the admin role; token "g" has the read role',
    });
  });

  it('tells a timeout from an unreachable server', async () => {
    proxyAnswers({ '/api/v1/openapi.json': { status: 504, data: '' } });
    expect((await checkHealth(api, { serverUrl: 'http://rum:4318' })).message).toContain(
      'did not answer in time',
    );
  });
});
