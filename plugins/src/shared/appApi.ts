/*
 * The app's requests to the otel-rum server: through the app's own proxy route
 * (/api/plugin-proxy/otelrum-rum-app/rum/..., plugin.json `routes`), where Grafana's server adds the
 * admin token from the app's secureJsonData and checks the user's role per method (reqAction).
 * Nothing here ever holds the token.
 */
import { lastValueFrom } from 'rxjs';
import type {
  Application,
  ApplicationFields,
  AppType,
  ChangeWarning,
  IntegrationGuide,
  Journey,
  JourneyAnalysis,
} from '@otel-rum/model';
import { RumApi, type Params } from '../datasource/api';
import { APP_PLUGIN_ID } from './links';

/** Where Grafana serves the app's proxy routes. */
export const APP_PROXY_BASE = `/api/plugin-proxy/${APP_PLUGIN_ID}`;

export type { ChangeWarning, DashboardLink } from '@otel-rum/model';

/** An application as GET /api/v1/apps/{id} answers it (the model's shape). */
export type ManagedApplication = Application;

/** What the form sends (POST, PATCH /api/v1/apps). */
export type ApplicationInput = ApplicationFields;

export type {
  Journey,
  JourneyAnalysis,
  JourneySession,
  JourneyStep,
  JourneyStepAnalysis,
} from '@otel-rum/model';

export type JourneyInput = Pick<Journey, 'name' | 'appId' | 'steps'>;

class AppRumApi extends RumApi {
  constructor(serverUrl?: string) {
    super(APP_PROXY_BASE, serverUrl, { page: "the otel-rum app's configuration page", role: 'admin' });
  }
}

/** Typed calls of the management and query API that the app's pages make. */
export class AppApi {
  private readonly rum: AppRumApi;

  constructor(serverUrl?: string) {
    this.rum = new AppRumApi(serverUrl);
  }

  get<T>(path: string, params: Params = {}): Promise<T> {
    return lastValueFrom(this.rum.get<T>(path, params));
  }

  private send<T>(
    method: 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    path: string,
    body?: unknown,
    params?: Params,
  ) {
    return lastValueFrom(this.rum.send<T>(method, path, body, params), { defaultValue: undefined as T });
  }

  post<T>(path: string, body: unknown): Promise<T> {
    return this.send('POST', path, body);
  }

  put<T>(path: string, body: unknown): Promise<T> {
    return this.send('PUT', path, body);
  }

  delete(path: string): Promise<void> {
    return this.send('DELETE', path);
  }

  listApplications(): Promise<ManagedApplication[]> {
    return this.get<{ items: ManagedApplication[] }>('/api/v1/apps').then((r) => r.items);
  }

  getApplication(appId: string): Promise<ManagedApplication> {
    return this.get(`/api/v1/apps/${encodeURIComponent(appId)}`);
  }

  createApplication(app: ApplicationInput): Promise<ManagedApplication> {
    return this.send('POST', '/api/v1/apps', app);
  }

  updateApplication(
    currentId: string,
    patch: Partial<ApplicationInput>,
  ): Promise<{ application: ManagedApplication; warnings: ChangeWarning[] }> {
    return this.send('PATCH', `/api/v1/apps/${encodeURIComponent(currentId)}`, patch);
  }

  deleteApplication(appId: string): Promise<void> {
    return this.send('DELETE', `/api/v1/apps/${encodeURIComponent(appId)}`);
  }

  snippet(appId: string, type: AppType): Promise<IntegrationGuide> {
    return this.get(`/api/v1/apps/${encodeURIComponent(appId)}/snippet`, { type });
  }

  setIssueStatus(appId: string, fingerprint: string, status: 'open' | 'resolved' | 'ignored') {
    return this.send<Record<string, unknown>>(
      'PATCH',
      `/api/v1/issues/${encodeURIComponent(fingerprint)}`,
      { status },
      { app_id: appId },
    );
  }

  listJourneys(appId?: string): Promise<Journey[]> {
    return this.get<{ items: Journey[] }>('/api/v1/journeys', { app_id: appId }).then((r) => r.items);
  }

  getJourney(id: string): Promise<Journey> {
    return this.get(`/api/v1/journeys/${encodeURIComponent(id)}`);
  }

  saveJourney(journey: JourneyInput, id?: string): Promise<Journey> {
    return id
      ? this.send('PUT', `/api/v1/journeys/${encodeURIComponent(id)}`, journey)
      : this.send('POST', '/api/v1/journeys', journey);
  }

  deleteJourney(id: string): Promise<void> {
    return this.send('DELETE', `/api/v1/journeys/${encodeURIComponent(id)}`);
  }

  journeyFromSession(
    sessionId: string,
    body: { name?: string; appId?: string },
  ): Promise<Journey & { warnings?: string[] }> {
    return this.send('POST', `/api/v1/journeys/from-session/${encodeURIComponent(sessionId)}`, body);
  }

  analyseJourney(
    id: string,
    q: { from: number; to: number; appId?: string; droppedAt?: number },
  ): Promise<JourneyAnalysis> {
    return this.get(`/api/v1/journeys/${encodeURIComponent(id)}/analysis`, {
      from: q.from,
      to: q.to,
      app_id: q.appId,
      dropped_at: q.droppedAt,
    });
  }
}
