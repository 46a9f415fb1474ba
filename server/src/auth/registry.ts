import { HttpError } from '../http/http-error';
import type { StoredToken, TokenRepository } from './repository';
import { hashToken, newTokenId, newTokenSecret, type ApiToken, type Role } from './token';

/** Id of the token given by configuration (RUM_ADMIN_TOKEN); replaced when the configured value changes. */
export const CONFIGURED_TOKEN_ID = 'configured_admin';

const publicView = ({ id, name, role, createdAt }: StoredToken): ApiToken => ({ id, name, role, createdAt });

/** API tokens, looked up by the hash of the presented secret on every API request. */
export class TokenRegistry {
  private readonly byHash = new Map<string, StoredToken>();
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(private readonly repo: TokenRepository) {}

  static async open(repo: TokenRepository): Promise<TokenRegistry> {
    const registry = new TokenRegistry(repo);
    for (const t of await repo.list()) registry.byHash.set(t.sha256, t);
    return registry;
  }

  get size(): number {
    return this.byHash.size;
  }

  /** The token a secret belongs to, if any. */
  verify(secret: string): ApiToken | undefined {
    const t = this.byHash.get(hashToken(secret));
    return t && publicView(t);
  }

  list(): ApiToken[] {
    return [...this.byHash.values()]
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id))
      .map(publicView);
  }

  /** A new token; its secret is returned here and never again. */
  create(name: string, role: Role): Promise<{ token: ApiToken; secret: string }> {
    return this.serially(async () => {
      const secret = newTokenSecret();
      const stored: StoredToken = {
        id: newTokenId(),
        name,
        role,
        sha256: hashToken(secret),
        createdAt: new Date().toISOString(),
      };
      await this.repo.insert(stored);
      this.byHash.set(stored.sha256, stored);
      return { token: publicView(stored), secret };
    });
  }

  /** Makes `secret` an admin token under the configured id, replacing an earlier configured one. */
  setConfigured(secret: string, name: string): Promise<ApiToken> {
    return this.serially(async () => {
      const sha256 = hashToken(secret);
      const existing = this.byHash.get(sha256);
      if (existing?.id === CONFIGURED_TOKEN_ID && existing.role === 'admin') return publicView(existing);
      const stored: StoredToken = {
        id: CONFIGURED_TOKEN_ID,
        name,
        role: 'admin',
        sha256,
        createdAt: new Date().toISOString(),
      };
      await this.repo.upsert(stored);
      for (const [h, t] of this.byHash)
        if (t.id === CONFIGURED_TOKEN_ID || h === sha256) this.byHash.delete(h);
      this.byHash.set(sha256, stored);
      return publicView(stored);
    });
  }

  /** Reloads the tokens from the repository (replicas sharing one store: see AppRegistry.refresh). */
  refresh(): Promise<void> {
    return this.serially(async () => {
      const fresh = await this.repo.list();
      this.byHash.clear();
      for (const t of fresh) this.byHash.set(t.sha256, t);
    });
  }

  /** Removes a token; the last admin token cannot go, or nobody could manage the server any more. */
  delete(id: string): Promise<void> {
    return this.serially(async () => {
      const entry = [...this.byHash.entries()].find(([, t]) => t.id === id);
      if (!entry) throw new HttpError(404, `token "${id}" does not exist`);
      const admins = [...this.byHash.values()].filter((t) => t.role === 'admin').length;
      if (entry[1].role === 'admin' && admins === 1)
        throw new HttpError(409, `token "${id}" is the last admin token: create another admin token first`);
      await this.repo.delete(id);
      this.byHash.delete(entry[0]);
    });
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
