import type { Application } from './application';

/** Where applications are kept. The DuckDB adapter is the one for one machine. */
export interface ApplicationRepository {
  list(): Promise<Application[]>;
  insert(app: Application): Promise<void>;
  /** Writes `app` over the application stored under `appId`; `app.appId` may differ (a renamed app). */
  replace(appId: string, app: Application): Promise<void>;
  /** False when there was no such application. */
  delete(appId: string): Promise<boolean>;
}
