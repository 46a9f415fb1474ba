import { MAX_SDK_SPILL_BYTES } from '@otel-rum/model';
import { readCookie, writeCookie } from '../session/sessionStore';
import type { Encoded } from './batch';
import type { SpillStore } from './sender';

/** How long a page-hide spill waits for a next page before the browser forgets its flag. */
export const SPILL_FLAG_MAX_AGE_S = 7 * 24 * 3600;

const B64 = 'b64:';

/** A body as localStorage text: JSON as is, protobuf bytes as base64 behind a marker. */
export function bodyToText(body: Encoded): string {
  if (typeof body === 'string') return body;
  let bin = '';
  for (let i = 0; i < body.length; i += 0x8000) bin += String.fromCharCode(...body.subarray(i, i + 0x8000));
  return B64 + btoa(bin);
}

export function textToBody(text: string): Encoded {
  if (!text.startsWith(B64)) return text;
  const bin = atob(text.slice(B64.length));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

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
      const all = (flagged() ? read() : []).concat(bodies.map(bodyToText));
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
      return all.map(textToBody);
    },
  };
}
