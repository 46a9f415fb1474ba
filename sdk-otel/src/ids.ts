/** Random lowercase hex of `bytes` bytes, from the browser's CSPRNG. Never all zeros (invalid in W3C). */
export function randomHex(bytes: number): string {
  const buf = new Uint8Array(bytes);
  crypto.getRandomValues(buf);
  let out = '';
  let nonZero = 0;
  for (const b of buf) {
    out += (b < 16 ? '0' : '') + b.toString(16);
    nonZero |= b;
  }
  return nonZero ? out : randomHex(bytes);
}

/** 128-bit id: sessions and traces. */
export const newId128 = (): string => randomHex(16);
/** 64-bit id: views, actions, spans. */
export const newId64 = (): string => randomHex(8);
