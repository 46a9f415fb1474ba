/** Random bytes are drawn from the CSPRNG in blocks of this size and handed out in slices. */
const POOL_BYTES = 256;
let pool = new Uint8Array(0);
let used = POOL_BYTES;

/** Random lowercase hex of `bytes` bytes, from the browser's CSPRNG. Never all zeros (invalid in W3C). */
export function randomHex(bytes: number): string {
  if (used + bytes > pool.length) {
    pool = crypto.getRandomValues(new Uint8Array(POOL_BYTES));
    used = 0;
  }
  let out = '';
  let nonZero = 0;
  for (let i = used; i < used + bytes; i++) {
    const b = pool[i]!;
    out += (b < 16 ? '0' : '') + b.toString(16);
    nonZero |= b;
  }
  used += bytes;
  return nonZero ? out : randomHex(bytes);
}

/** 128-bit id: sessions and traces. */
export const newId128 = (): string => randomHex(16);
/** 64-bit id: views, actions, spans. */
export const newId64 = (): string => randomHex(8);
