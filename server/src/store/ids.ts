import { randomFillSync } from 'node:crypto';

/** Random bytes drawn from the system in one call and handed out ten at a time. */
const pool = Buffer.alloc(10 * 512);
let taken = pool.length;

/**
 * A time-ordered UUID (RFC 9562, version 7): 48 bits of Unix milliseconds, then 74 random bits.
 * Events are given one when they are written, so ids written together sort together and a lookup by
 * id reads only the row groups whose id range holds it, instead of every row.
 */
export function uuidv7(nowMs: number = Date.now()): string {
  if (taken + 10 > pool.length) {
    randomFillSync(pool);
    taken = 0;
  }
  const r = pool.toString('hex', taken, taken + 10);
  taken += 10;
  const t = Math.trunc(nowMs).toString(16).padStart(12, '0');
  const variant = ((parseInt(r[3]!, 16) & 0x3) | 0x8).toString(16);
  return `${t.slice(0, 8)}-${t.slice(8)}-7${r.slice(0, 3)}-${variant}${r.slice(4, 7)}-${r.slice(7, 19)}`;
}
