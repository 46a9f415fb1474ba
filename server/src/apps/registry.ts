import { HttpError } from '../http/http-error';
import type { Application, ApplicationFields } from './application';
import { originAllowed } from './origins';
import type { ApplicationRepository } from './repository';

/** Which application changed: its id, and its id before a rename. */
export interface AppChange {
  appId: string;
  previousAppId?: string;
}

/**
 * The registered applications, held in memory for ingest admission (read on every OTLP request) and
 * written through to the repository. Changes are serialised so that the uniqueness checks and the
 * write they guard are one step.
 */
export class AppRegistry {
  private readonly apps = new Map<string, Application>();
  private readonly listeners: ((change: AppChange) => void)[] = [];
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(private readonly repo: ApplicationRepository) {}

  static async open(repo: ApplicationRepository): Promise<AppRegistry> {
    const registry = new AppRegistry(repo);
    for (const app of await repo.list()) registry.apps.set(app.appId, app);
    return registry;
  }

  get(appId: string): Application | undefined {
    return this.apps.get(appId);
  }

  list(): Application[] {
    return [...this.apps.values()].sort((a, b) => a.appId.localeCompare(b.appId));
  }

  get size(): number {
    return this.apps.size;
  }

  /** True when some application allows pages of `origin` (a CORS preflight does not say which app). */
  anyAllows(origin: string, requestHost: string | undefined): boolean {
    for (const app of this.apps.values())
      if (originAllowed(app.allowedOrigins, origin, requestHost)) return true;
    return false;
  }

  /** Called after every change, e.g. to reset the rate limit of that application. */
  onChange(listener: (change: AppChange) => void): void {
    this.listeners.push(listener);
  }

  create(fields: ApplicationFields): Promise<Application> {
    return this.serially(async () => {
      this.checkFree(fields.appId, null);
      const now = new Date().toISOString();
      const app: Application = { ...fields, previousAppIds: [], createdAt: now, updatedAt: now };
      await this.repo.insert(app);
      this.apps.set(app.appId, app);
      this.emit({ appId: app.appId });
      return app;
    });
  }

  /** Applies a PATCH; a new appId renames the application and keeps its old id in previousAppIds. */
  update(
    appId: string,
    patch: Partial<ApplicationFields>,
  ): Promise<{ app: Application; renamedFrom?: string }> {
    return this.serially(async () => {
      const current = this.require(appId);
      const next: Application = { ...current, ...patch, updatedAt: new Date().toISOString() };
      const renamed = next.appId !== appId;
      if (renamed) {
        this.checkFree(next.appId, current);
        next.previousAppIds = [...current.previousAppIds.filter((id) => id !== next.appId), appId];
      }
      await this.repo.replace(appId, next);
      this.apps.delete(appId);
      this.apps.set(next.appId, next);
      this.emit(renamed ? { appId: next.appId, previousAppId: appId } : { appId });
      return renamed ? { app: next, renamedFrom: appId } : { app: next };
    });
  }

  delete(appId: string): Promise<void> {
    return this.serially(async () => {
      this.require(appId);
      await this.repo.delete(appId);
      this.apps.delete(appId);
      this.emit({ appId });
    });
  }

  /**
   * Reloads the applications from the repository: for server replicas sharing one store, where
   * another replica may have changed them. Listeners hear of each application that changed.
   */
  refresh(): Promise<void> {
    return this.serially(async () => {
      const fresh = new Map((await this.repo.list()).map((a) => [a.appId, a]));
      const changed = [...fresh.keys()].filter(
        (id) => JSON.stringify(this.apps.get(id)) !== JSON.stringify(fresh.get(id)),
      );
      changed.push(...[...this.apps.keys()].filter((id) => !fresh.has(id)));
      this.apps.clear();
      for (const [id, app] of fresh) this.apps.set(id, app);
      for (const appId of changed) this.emit({ appId });
    });
  }

  /** Registers the application unless one with its id exists (the demo app at start-up). */
  ensure(fields: ApplicationFields): Promise<Application> {
    const existing = this.apps.get(fields.appId);
    return existing ? Promise.resolve(existing) : this.create(fields);
  }

  private require(appId: string): Application {
    const app = this.apps.get(appId);
    if (!app) throw new HttpError(404, `application "${appId}" is not registered`);
    return app;
  }

  /** An id is taken by a registered application, or by the history of another one (its old data). */
  private checkFree(appId: string, self: Application | null): void {
    if (this.apps.has(appId))
      throw new HttpError(409, `appId "${appId}" is already the id of a registered application`);
    for (const other of this.apps.values()) {
      if (other !== self && other.previousAppIds.includes(appId))
        throw new HttpError(
          409,
          `appId "${appId}" was the id of application "${other.appId}" before, and its data is kept under it; choose another id`,
        );
    }
  }

  private emit(change: AppChange): void {
    for (const l of this.listeners) l(change);
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
