import { MAX_SDK_SPILL_BYTES } from '@otel-rum/model';
import type { SpillStore } from './sender';

/**
 * localStorage under `key`: synchronous, so it works while the page unloads. Keeps at most
 * MAX_SDK_SPILL_BYTES (characters, a close bound for JSON), dropping the oldest bodies first.
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
  return {
    save(bodies) {
      const all = read().concat(bodies);
      let total = all.reduce((n, b) => n + b.length, 0);
      while (total > MAX_SDK_SPILL_BYTES && all.length) {
        const dropped = all.shift()!;
        total -= dropped.length;
        onDrop?.(dropped.length);
      }
      try {
        localStorage.setItem(key, JSON.stringify(all));
      } catch {
        onDrop?.(total);
      }
    },
    take() {
      const all = read();
      try {
        if (all.length) localStorage.removeItem(key);
      } catch {
        // nothing stored
      }
      return all;
    },
  };
}
