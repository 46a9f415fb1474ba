/*
 * The server's own state (applications, API tokens; generated metric rules and journeys use the same
 * records) in ClickHouse, so that every replica reads the
 * same. Each record is a row of a ReplacingMergeTree keyed by its id: a change or a deletion inserts a
 * new row with a greater version (a deletion with `deleted = 1`), and reads take the latest row of
 * each id (argMax by version), which is right whether or not ClickHouse has merged the rows yet.
 * Records are kept whole as JSON: they are small, few, and read all at once.
 */
import type { Application } from '../../apps/application';
import type { ApplicationRepository } from '../../apps/repository';
import type { StoredToken, TokenRepository } from '../../auth/repository';
import type { ClickHouseExecutor } from './executor';

let last = 0n;
/** Microseconds since the epoch, strictly increasing within this process. */
export function nextVersion(): bigint {
  const now = BigInt(Date.now()) * 1000n;
  last = now > last ? now : last + 1n;
  return last;
}

/** One table of records keyed by id (migrations 3 and 5). */
export class Records<T> {
  constructor(
    private readonly x: ClickHouseExecutor,
    private readonly table: string,
  ) {}

  async list(): Promise<T[]> {
    const rows = await this.x.query(
      `SELECT id, argMax(doc, version) AS doc FROM ${this.table} GROUP BY id
       HAVING argMax(deleted, version) = 0 ORDER BY id`,
    );
    return rows.map((r) => JSON.parse(String(r.doc)) as T);
  }

  /** The live record with this id, or null. */
  async get(id: string): Promise<T | null> {
    const rows = await this.x.query(
      `SELECT argMax(doc, version) AS doc, argMax(deleted, version) AS deleted FROM ${this.table}
       WHERE id = {id:String} GROUP BY id`,
      { id },
    );
    return rows.length > 0 && Number(rows[0]!.deleted) === 0 ? (JSON.parse(String(rows[0]!.doc)) as T) : null;
  }

  async exists(id: string): Promise<boolean> {
    const rows = await this.x.query(
      `SELECT argMax(deleted, version) AS deleted FROM ${this.table} WHERE id = {id:String} GROUP BY id`,
      { id },
    );
    return rows.length > 0 && Number(rows[0]!.deleted) === 0;
  }

  /** Writes records and deletions in one insert. */
  async put(records: { id: string; doc: T | null }[]): Promise<void> {
    await this.x.insert(
      this.table,
      records.map((r) => ({
        id: r.id,
        doc: r.doc === null ? '' : JSON.stringify(r.doc),
        version: String(nextVersion()),
        deleted: r.doc === null ? 1 : 0,
      })),
    );
  }
}

export class ClickHouseApplicationRepository implements ApplicationRepository {
  private readonly records: Records<Application>;

  constructor(x: ClickHouseExecutor, table: string) {
    this.records = new Records(x, table);
  }

  list(): Promise<Application[]> {
    return this.records.list();
  }

  insert(app: Application): Promise<void> {
    return this.records.put([{ id: app.appId, doc: app }]);
  }

  replace(appId: string, app: Application): Promise<void> {
    return this.records.put(
      app.appId === appId
        ? [{ id: appId, doc: app }]
        : [
            { id: appId, doc: null },
            { id: app.appId, doc: app },
          ],
    );
  }

  async delete(appId: string): Promise<boolean> {
    if (!(await this.records.exists(appId))) return false;
    await this.records.put([{ id: appId, doc: null }]);
    return true;
  }
}

export class ClickHouseTokenRepository implements TokenRepository {
  private readonly records: Records<StoredToken>;

  constructor(x: ClickHouseExecutor, table: string) {
    this.records = new Records(x, table);
  }

  async list(): Promise<StoredToken[]> {
    const all = await this.records.list();
    return all.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  }

  insert(t: StoredToken): Promise<void> {
    return this.records.put([{ id: t.id, doc: t }]);
  }

  /** Replaces the token with the same id, and any other token with the same secret. */
  async upsert(t: StoredToken): Promise<void> {
    const same = (await this.records.list()).filter((o) => o.id !== t.id && o.sha256 === t.sha256);
    await this.records.put([...same.map((o) => ({ id: o.id, doc: null })), { id: t.id, doc: t }]);
  }

  async delete(id: string): Promise<boolean> {
    if (!(await this.records.exists(id))) return false;
    await this.records.put([{ id, doc: null }]);
    return true;
  }
}
