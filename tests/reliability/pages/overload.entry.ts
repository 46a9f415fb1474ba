/*
 * A page with our SDK that lets the test add actions in bulk (overload.test.ts): init with the
 * application id and the server as endpoint, addAction and flush exposed.
 */
import { RUM_APP_ID } from '@otel-rum/model';
import { addAction, flush, init } from '../../../sdk-otel/src/index';
import { expose, pageConfig } from '../../sources/pages/config';

const cfg = pageConfig();
init({
  appId: cfg.resource[RUM_APP_ID]!,
  endpoint: cfg.endpoint,
  service: { name: 'overload-web' },
  flushIntervalMs: 250,
});

expose('rumFlush', () => flush());
(window as unknown as Record<string, unknown>).rumAddActions = (prefix: string, n: number) => {
  for (let i = 0; i < n; i++) addAction(`${prefix}${i}`);
};
