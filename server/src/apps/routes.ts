import { sendJson, type Router } from '../http/router';
import { HttpError } from '../http/http-error';
import { readJsonBody } from '../http/json-body';
import type { IntegrationGuide } from '@otel-rum/model';
import type { Application } from './application';
import type { AppRegistry } from './registry';
import { snippetsFor } from './snippet';
import { appIdOf, parseApplicationPatch, parseNewApplication, typeOf } from './validate';
import { renameWarnings } from './warnings';

export interface AppRoutesOptions {
  /** Base URL of the OTLP/HTTP receiver that snippets point SDKs at. */
  publicUrl: () => string;
}

/** The management API of applications: /api/v1/apps and /api/v1/apps/{appId}[/snippet]. */
export function addApplicationRoutes(router: Router, apps: AppRegistry, opts: AppRoutesOptions): void {
  const find = (raw: string | undefined): Application => {
    const appId = appIdOf(raw, 'path parameter appId');
    const app = apps.get(appId);
    if (!app) throw new HttpError(404, `application "${appId}" is not registered`);
    return app;
  };

  router.add('GET', '/api/v1/apps', ({ res }) => sendJson(res, 200, { items: apps.list() }));

  router.add('POST', '/api/v1/apps', async ({ req, res }) => {
    const app = await apps.create(parseNewApplication(await readJsonBody(req)));
    sendJson(res, 201, app, { Location: `/api/v1/apps/${app.appId}` });
  });

  router.add('GET', '/api/v1/apps/:appId', ({ res, params }) => sendJson(res, 200, find(params.appId)));

  router.add('PATCH', '/api/v1/apps/:appId', async ({ req, res, params }) => {
    const current = find(params.appId);
    const patch = parseApplicationPatch(await readJsonBody(req));
    const { app, renamedFrom } = await apps.update(current.appId, patch);
    sendJson(res, 200, { application: app, warnings: renamedFrom ? renameWarnings(app, renamedFrom) : [] });
  });

  router.add('DELETE', '/api/v1/apps/:appId', async ({ res, params }) => {
    await apps.delete(find(params.appId).appId);
    res.writeHead(204).end();
  });

  router.add('GET', '/api/v1/apps/:appId/snippet', async ({ res, url, params }) => {
    const app = find(params.appId);
    for (const key of url.searchParams.keys())
      if (key !== 'type') throw new HttpError(400, `unknown query parameter "${key}"; known: type`);
    const raw = url.searchParams.get('type');
    const type = raw === null ? app.type : typeOf(raw, 'query parameter type');
    const endpoint = opts.publicUrl();
    const guide: IntegrationGuide = {
      appId: app.appId,
      type,
      endpoint,
      snippets: await snippetsFor(type, { app, endpoint }),
    };
    sendJson(res, 200, guide);
  });
}
