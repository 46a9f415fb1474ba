/**
 * Random lowercase hex of `bytes` bytes. Never all zeros (invalid in W3C). From Math.random, as
 * OpenTelemetry JS's id generator: ids must be unique, not secret (any client may send any session id
 * to an OTLP endpoint), and V8's generator (seeded from the system's CSPRNG) is no call into the
 * browser, while the first crypto.getRandomValues of a page costs about 0.2 ms of init.
 */
export function randomHex(bytes: number): string {
  let out = '';
  let nonZero = 0;
  for (let i = 0; i < bytes * 2; i++) {
    const digit = (Math.random() * 16) | 0;
    out += digit.toString(16);
    nonZero |= digit;
  }
  return nonZero ? out : randomHex(bytes);
}

/** 128-bit id: sessions and traces. */
export const newId128 = (): string => randomHex(16);
/** 64-bit id: views, actions, spans. */
export const newId64 = (): string => randomHex(8);
