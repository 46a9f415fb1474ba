import type { DuckDBConnection } from '@duckdb/node-api';
import type { StoredToken, TokenRepository } from './repository';
import type { Role } from './token';

/** Tokens in the `api_tokens` table (migration 11), on a connection of their own. */
export class DuckDbTokenRepository implements TokenRepository {
  constructor(private readonly conn: DuckDBConnection) {}

  async list(): Promise<StoredToken[]> {
    const reader = await this.conn.runAndReadAll(
      'SELECT id, name, role, token_sha256, epoch_us(created_at) AS created_us FROM api_tokens ORDER BY created_at, id',
    );
    return reader.getRowObjectsJS().map((r) => ({
      id: String(r.id),
      name: String(r.name),
      role: r.role as Role,
      sha256: String(r.token_sha256),
      createdAt: new Date(Number(BigInt(r.created_us as bigint) / 1000n)).toISOString(),
    }));
  }

  async insert(t: StoredToken): Promise<void> {
    await this.conn.run('INSERT INTO api_tokens VALUES (?, ?, ?, ?, make_timestamp(?::BIGINT))', [
      t.id,
      t.name,
      t.role,
      t.sha256,
      BigInt(Date.parse(t.createdAt)) * 1000n,
    ]);
  }

  async upsert(t: StoredToken): Promise<void> {
    await this.conn.run('BEGIN TRANSACTION');
    try {
      await this.conn.run('DELETE FROM api_tokens WHERE id = ? OR token_sha256 = ?', [t.id, t.sha256]);
      await this.insert(t);
      await this.conn.run('COMMIT');
    } catch (e) {
      await this.conn.run('ROLLBACK').catch(() => undefined);
      throw e;
    }
  }

  async delete(id: string): Promise<boolean> {
    const reader = await this.conn.runAndReadAll('DELETE FROM api_tokens WHERE id = ? RETURNING id', [id]);
    return reader.getRowObjectsJS().length > 0;
  }
}
