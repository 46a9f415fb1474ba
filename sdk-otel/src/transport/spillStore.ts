import { MAX_SDK_SPILL_BYTES } from '@otel-rum/model';
import { readCookie, writeCookie } from '../session/sessionStore';
import type { SpillStore } from './sender';

/** How long a page-hide spill waits for a next page before the browser forgets its flag. */
export const SPILL_FLAG_MAX_AGE_S = 7 * 24 * 3600;

/**
 * localStorage under `key`: synchronous, so it works while the page unloads. Keeps at most
 * MAX_SDK_SPILL_BYTES (characters, a close bound for JSON), dropping the oldest bodies first. A cookie
 * flags that something is there, so pages without a spill never pay for a first localStorage access.
 */
export function createSpillStore(key: string, onDrop?: (bytes: number) => void): SpillStore {
  const read = (): string[] => {
    try {
      const v: unknown = JSON.parse(localStorage.getItem(key) || '[]');
      return Array.isArray(v) ? v.filter((b): b is string => typeof b === 'string') : [];
    } catch {
      return [];
    }
  };
  const flagged = () => {
    try {
      return readCookie(key) === '1';
    } catch {
      return false;
    }
  };
  return {
    save(bodies) {
      const all = (flagged() ? read() : []).concat(bodies);
      let total = all.reduce((n, b) => n + b.length, 0);
      while (total > MAX_SDK_SPILL_BYTES && all.length) {
        const dropped = all.shift()!;
        total -= dropped.length;
        onDrop?.(dropped.length);
      }
      try {
        localStorage.setItem(key, JSON.stringify(all));
        writeCookie(key, '1', SPILL_FLAG_MAX_AGE_S);
      } catch {
        onDrop?.(total);
      }
    },
    take() {
      if (!flagged()) return [];
      const all = read();
      try {
        localStorage.removeItem(key);
        writeCookie(key, '', 0);
      } catch {
        // nothing stored
      }
      return all;
    },
  };
}
