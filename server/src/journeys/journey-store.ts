/*
 * Journeys kept by a store: the interface the routes use, and the DuckDB one over the journeys table
 * (migration 21). The ClickHouse store's is ../store/clickhouse/journeys.ts.
 */
import { randomUUID } from 'node:crypto';
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { MAX_JOURNEYS } from '@otel-rum/model';
import { HttpError } from '../http/http-error';
import type { Journey, JourneyDefinition, JourneyStep } from './journey';
import { analyseJourney, type AnalysisQuery, type JourneyAnalysis } from './analysis';
import { journeyFromSession, type FromSession } from './from-session';

/** Journeys and their analysis, as one store keeps and answers them. */
export interface Journeys {
  /** With `appId`: that application's journeys and the unscoped ones; oldest first. */
  list(appId?: string): Promise<Journey[]>;
  /** One journey, or a 404. */
  get(id: string): Promise<Journey>;
  /** A new journey; 409 past MAX_JOURNEYS. */
  create(def: JourneyDefinition): Promise<Journey>;
  update(id: string, def: JourneyDefinition): Promise<Journey>;
  delete(id: string): Promise<void>;
  analyse(journey: Journey, q: AnalysisQuery): Promise<JourneyAnalysis>;
  /** The definition of a journey through a session's views (not stored). */
  fromSession(sessionId: string, appId: string | null, name: string | null): Promise<FromSession>;
}

/** Opens a connection of its own for one piece of work and closes it after. */
export type Connect = () => Promise<DuckDBConnection>;

type Row = Record<string, unknown>;

const iso = (v: unknown) => new Date(Number(BigInt(v as bigint) / 1000n)).toISOString();

function toJourney(r: Row): Journey {
  return {
    id: String(r.id),
    name: String(r.name),
    appId: (r.app_id as string | null) ?? null,
    steps: JSON.parse(String(r.steps)) as JourneyStep[],
    createdAt: iso(r.created_us),
    updatedAt: iso(r.updated_us),
  };
}

const SELECT = `SELECT id, name, app_id, steps, epoch_us(created_at) AS created_us, epoch_us(updated_at) AS updated_us FROM journeys`;

export async function withConnection<T>(
  connect: Connect,
  work: (c: DuckDBConnection) => Promise<T>,
): Promise<T> {
  const conn = await connect();
  try {
    return await work(conn);
  } finally {
    conn.closeSync();
  }
}

async function all(c: DuckDBConnection, sql: string, params: DuckDBValue[] = []): Promise<Row[]> {
  return (await c.runAndReadAll(sql, params)).getRowObjectsJS() as Row[];
}

export class JourneyStore implements Journeys {
  constructor(private readonly connect: Connect) {}

  analyse(journey: Journey, q: AnalysisQuery): Promise<JourneyAnalysis> {
    return withConnection(this.connect, (c) => analyseJourney(c, journey, q));
  }

  fromSession(sessionId: string, appId: string | null, name: string | null): Promise<FromSession> {
    return withConnection(this.connect, (c) => journeyFromSession(c, sessionId, appId, name));
  }

  list(appId?: string): Promise<Journey[]> {
    return withConnection(this.connect, async (c) =>
      (
        await all(
          c,
          `${SELECT} ${appId ? 'WHERE app_id = ? OR app_id IS NULL' : ''} ORDER BY created_at, id`,
          appId ? [appId] : [],
        )
      ).map(toJourney),
    );
  }

  async get(id: string): Promise<Journey> {
    const rows = await withConnection(this.connect, (c) => all(c, `${SELECT} WHERE id = ?`, [id]));
    if (!rows[0]) throw new HttpError(404, `journey "${id}" not found`);
    return toJourney(rows[0]);
  }

  create(def: JourneyDefinition): Promise<Journey> {
    return withConnection(this.connect, async (c) => {
      const [count] = await all(c, 'SELECT count(*) AS n FROM journeys');
      if (Number(count?.n ?? 0) >= MAX_JOURNEYS)
        throw new HttpError(409, `at most ${MAX_JOURNEYS} journeys (MAX_JOURNEYS); delete one first`);
      const id = randomUUID();
      const nowUs = Date.now() * 1000;
      await c.run(
        `INSERT INTO journeys VALUES (?, ?, ?, ?, make_timestamp(CAST(? AS BIGINT)), make_timestamp(CAST(? AS BIGINT)))`,
        [id, def.name, def.appId, JSON.stringify(def.steps), nowUs, nowUs],
      );
      return toJourney((await all(c, `${SELECT} WHERE id = ?`, [id]))[0] as Row);
    });
  }

  async update(id: string, def: JourneyDefinition): Promise<Journey> {
    await this.get(id);
    await withConnection(this.connect, (c) =>
      c.run(
        `UPDATE journeys SET name = ?, app_id = ?, steps = ?, updated_at = make_timestamp(CAST(? AS BIGINT)) WHERE id = ?`,
        [def.name, def.appId, JSON.stringify(def.steps), Date.now() * 1000, id],
      ),
    );
    return this.get(id);
  }

  async delete(id: string): Promise<void> {
    await this.get(id);
    await withConnection(this.connect, (c) => c.run('DELETE FROM journeys WHERE id = ?', [id]));
  }
}
