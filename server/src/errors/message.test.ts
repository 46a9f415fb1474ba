import { normaliseMessage } from './message';

describe('normaliseMessage', () => {
  it.each([
    [
      "Cannot read properties of undefined (reading 'total')",
      'Cannot read properties of undefined (reading <str>)',
    ],
    ['Uncaught TypeError: a is not a function', 'TypeError: a is not a function'],
    ['Uncaught (in promise) Error: 503', 'Error: <n>'],
    ['Order 12345 failed after 3.5 s', 'Order <n> failed after <n> s'],
    ['Failed to fetch https://api.example.com/v2/orders/99?x=1 (CORS)', 'Failed to fetch <url> (CORS)'],
    ['session 0b7c9f3e-4a1d-4c2b-9e8f-1234567890ab expired', 'session <uuid> expired'],
    ['span 4bf92f3577b34da6a3ce929d0e0e4736 missing', 'span <hex> missing'],
    ['bad pointer 0xDEADBEEF', 'bad pointer <hex>'],
    ['No user jane.doe+test@example.co.uk', 'No user <email>'],
    ['Unexpected token `<` in "JSON" at position 0', 'Unexpected token <str> in <str> at position <n>'],
    ['  spaces\n\tand   lines  ', 'spaces and lines'],
    ['user_42 and item-7 and h1', 'user_<n> and item-<n> and h<n>'],
  ])('%j -> %j', (input, expected) => {
    expect(normaliseMessage(input)).toBe(expected);
  });

  it('keeps words that only look like hex', () => {
    expect(normaliseMessage('deadbeef cafebabe facade')).toBe('deadbeef cafebabe facade');
  });

  it('gives the same text for two occurrences of one bug', () => {
    expect(normaliseMessage("Item 'sku-881' out of stock (request 5f0c1a2b3c4d)")).toBe(
      normaliseMessage("Item 'sku-12' out of stock (request 9e8d7c6b5a40)"),
    );
  });

  it('stays fast on long hostile messages', () => {
    const started = Date.now();
    for (const unit of ['a', 'a.', '"', "'a", '0', 'x@', 'https://'])
      normaliseMessage(unit.repeat(1_000_000));
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('is empty for no message', () => {
    expect(normaliseMessage('')).toBe('');
    expect(normaliseMessage(null)).toBe('');
  });
});
