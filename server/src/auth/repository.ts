import type { ApiToken } from './token';

export interface StoredToken extends ApiToken {
  sha256: string;
}

/** Where API tokens are kept (hashed). The DuckDB adapter is the one for one machine. */
export interface TokenRepository {
  list(): Promise<StoredToken[]>;
  insert(token: StoredToken): Promise<void>;
  /** Inserts, or replaces the token with the same id. */
  upsert(token: StoredToken): Promise<void>;
  delete(id: string): Promise<boolean>;
}
