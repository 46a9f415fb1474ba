/*
 * The error a shop page throws when paying, shared by the pages of different SDKs so that the same
 * error, from the same function in the same script path, is sent by each: it must become one issue.
 */
export function pay(): never {
  throw new TypeError('payment provider is not configured');
}
