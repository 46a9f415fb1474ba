import type { Encoded } from './batch';
import type { QueueStore } from './sender';

const STORE = 'requests';

/**
 * The optional offline queue: request bodies waiting for a retry, each under its Idempotency-Key,
 * kept in IndexedDB so that a reload
 * (or coming back online on a later page) resends them. Operations are chained on one connection, so
 * they apply in call order.
 */
export function createIndexedDbQueue(name: string): QueueStore | undefined {
  if (typeof indexedDB === 'undefined') return undefined;
  const conn: Promise<IDBDatabase | undefined> = new Promise((resolve) => {
    try {
      const req = indexedDB.open(name, 1);
      req.onupgradeneeded = () => req.result.createObjectStore(STORE);
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => resolve(undefined);
    } catch {
      resolve(undefined);
    }
  });
  let chain: Promise<unknown> = conn;
  const run = <T>(
    mode: IDBTransactionMode,
    op: (s: IDBObjectStore) => IDBRequest<T> | void,
  ): Promise<T | undefined> => {
    const next = chain
      .then(() => conn)
      .then(
        (d) =>
          new Promise<T | undefined>((resolve) => {
            if (!d) return resolve(undefined);
            try {
              const tx = d.transaction(STORE, mode);
              const req = op(tx.objectStore(STORE));
              tx.oncomplete = () => resolve(req ? req.result : undefined);
              tx.onerror = tx.onabort = () => resolve(undefined);
            } catch {
              resolve(undefined);
            }
          }),
      );
    chain = next;
    return next;
  };
  return {
    // Each body with its key, so that the next page sends it with the same Idempotency-Key.
    put: (key, body) => void run('readwrite', (s) => void s.put([key, body], key)),
    remove: (key) => void run('readwrite', (s) => void s.delete(key)),
    async takeAll() {
      const entries = await run<unknown[]>('readwrite', (s) => {
        const req = s.getAll();
        req.onsuccess = () => s.clear();
        return req;
      });
      // A body stored alone (by an earlier version) has no key ('' here): the sender gives it one.
      return (entries ?? []).map((v) => (Array.isArray(v) ? v : ['', v])) as [string, Encoded][];
    },
  };
}
