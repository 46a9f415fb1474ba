import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import type { TokenRegistry } from './registry';

/** How the server can be administered after start-up, for the start-up output. */
export type AdminTokenNotice =
  | { source: 'configured' }
  /** Created now: the secret is in this notice once, and in `file` (mode 0600) unless the DB is in memory. */
  | { source: 'generated'; secret: string; file: string | null }
  /** Tokens were stored before; `file` is the one written at first start, if it is still there. */
  | { source: 'stored'; file: string | null };

/** The file next to the database that holds the admin token generated at first start. */
export function adminTokenFile(dbPath: string): string | null {
  return dbPath === ':memory:' ? null : `${dbPath}.admin-token`;
}

/**
 * Makes sure someone can use the API: the configured admin token (RUM_ADMIN_TOKEN) is stored as an
 * admin token; with none configured and no token stored yet, one is generated and written to a file
 * that only the server's user can read.
 */
export async function bootstrapAdminToken(
  tokens: TokenRegistry,
  config: { adminToken: string; dbPath: string },
): Promise<AdminTokenNotice> {
  const file = adminTokenFile(config.dbPath);
  if (config.adminToken) {
    await tokens.setConfigured(config.adminToken, 'admin token from RUM_ADMIN_TOKEN');
    return { source: 'configured' };
  }
  if (tokens.size > 0) return { source: 'stored', file: file && existsSync(file) ? file : null };
  const { secret } = await tokens.create('admin token generated at first start', 'admin');
  if (file) {
    writeFileSync(file, secret + '\n', { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  return { source: 'generated', secret, file };
}
