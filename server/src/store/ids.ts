import { randomFillSync } from 'node:crypto';

/** Random bytes drawn from the system in one call and handed out ten at a time. */
const pool = Buffer.alloc(10 * 512);
let taken = pool.length;
/** The millisecond of the last id, and its time part as written. */
let lastMs = NaN;
let lastTime = '';
/** RFC 9562's variant bits (10) over two random bits, as the hex digit they make. */
const VARIANT = ['8', '9', 'a', 'b'];

/**
 * A time-ordered UUID (RFC 9562, version 7): 48 bits of Unix milliseconds, then 74 random bits.
 * Events are given one when they are written, so ids written together sort together and a lookup by
 * id reads only the row groups whose id range holds it, instead of every row.
 */
export function uuidv7(nowMs: number = Date.now()): string {
  const ms = Math.trunc(nowMs);
  // Many ids are made in the same millisecond: their time part is written once.
  if (ms !== lastMs) {
    const t = ms.toString(16).padStart(12, '0');
    lastMs = ms;
    lastTime = `${t.slice(0, 8)}-${t.slice(8)}-7`;
  }
  if (taken + 10 > pool.length) {
    randomFillSync(pool);
    taken = 0;
  }
  const r = pool.toString('hex', taken, taken + 10);
  taken += 10;
  const variant = VARIANT[parseInt(r[3]!, 16) & 0x3]!;
  return `${lastTime}${r.slice(0, 3)}-${variant}${r.slice(4, 7)}-${r.slice(7, 19)}`;
}
