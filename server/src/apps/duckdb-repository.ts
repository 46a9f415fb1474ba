import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import type { Application, AppType } from './application';
import type { ApplicationRepository } from './repository';

type Row = Record<string, unknown>;

const COLUMNS = `app_id, name, type, allowed_origins, session_sample_rate, trace_sample_rate, replay_sample_rate,
  retention_days, dashboards, previous_app_ids, epoch_us(created_at) AS created_us, epoch_us(updated_at) AS updated_us,
  rate_limit_per_second, rate_limit_burst`;

/** Applications in the `applications` table (migrations 3 and 10), on a connection of their own. */
export class DuckDbApplicationRepository implements ApplicationRepository {
  constructor(private readonly conn: DuckDBConnection) {}

  async list(): Promise<Application[]> {
    const reader = await this.conn.runAndReadAll(`SELECT ${COLUMNS} FROM applications ORDER BY app_id`);
    return (reader.getRowObjectsJS() as Row[]).map(toApplication);
  }

  async insert(app: Application): Promise<void> {
    await this.conn.run(
      `INSERT INTO applications (app_id, name, type, allowed_origins, session_sample_rate, trace_sample_rate,
         replay_sample_rate, retention_days, dashboards, previous_app_ids, created_at, updated_at,
         rate_limit_per_second, rate_limit_burst)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, make_timestamp(?::BIGINT), make_timestamp(?::BIGINT), ?, ?)`,
      values(app),
    );
  }

  async replace(appId: string, app: Application): Promise<void> {
    await this.conn.run(
      `UPDATE applications SET app_id = ?, name = ?, type = ?, allowed_origins = ?, session_sample_rate = ?,
         trace_sample_rate = ?, replay_sample_rate = ?, retention_days = ?, dashboards = ?, previous_app_ids = ?,
         created_at = make_timestamp(?::BIGINT), updated_at = make_timestamp(?::BIGINT), rate_limit_per_second = ?,
         rate_limit_burst = ?
       WHERE app_id = ?`,
      [...values(app), appId],
    );
  }

  async delete(appId: string): Promise<boolean> {
    const reader = await this.conn.runAndReadAll(
      'DELETE FROM applications WHERE app_id = ? RETURNING app_id',
      [appId],
    );
    return reader.getRowObjectsJS().length > 0;
  }
}

const micros = (iso: string) => BigInt(Date.parse(iso)) * 1000n;

function values(a: Application): DuckDBValue[] {
  return [
    a.appId,
    a.name,
    a.type,
    JSON.stringify(a.allowedOrigins),
    a.sessionSampleRate,
    a.traceSampleRate,
    a.replaySampleRate,
    a.retentionDays,
    JSON.stringify(a.dashboards),
    JSON.stringify(a.previousAppIds),
    micros(a.createdAt),
    micros(a.updatedAt),
    a.rateLimit?.eventsPerSecond ?? null,
    a.rateLimit?.burst ?? null,
  ];
}

function iso(us: unknown): string {
  return new Date(Number(BigInt(us as bigint) / 1000n)).toISOString();
}

function toApplication(r: Row): Application {
  const perSecond = r.rate_limit_per_second as number | null;
  const burst = r.rate_limit_burst as number | null;
  return {
    appId: String(r.app_id),
    name: String(r.name),
    type: r.type as AppType,
    allowedOrigins: JSON.parse(String(r.allowed_origins)) as string[],
    sessionSampleRate: Number(r.session_sample_rate),
    traceSampleRate: Number(r.trace_sample_rate),
    replaySampleRate: Number(r.replay_sample_rate),
    retentionDays: Number(r.retention_days),
    dashboards: JSON.parse(String(r.dashboards)),
    rateLimit:
      perSecond === null || burst === null
        ? null
        : { eventsPerSecond: Number(perSecond), burst: Number(burst) },
    previousAppIds: JSON.parse(String(r.previous_app_ids)) as string[],
    createdAt: iso(r.created_us),
    updatedAt: iso(r.updated_us),
  };
}
