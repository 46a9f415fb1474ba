import { newId128, newId64, randomHex } from './ids';

describe('ids', () => {
  it('are lowercase hex of the asked length, never all zeros, and do not repeat', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const long = newId128();
      const short = newId64();
      expect(long).toMatch(/^[0-9a-f]{32}$/);
      expect(short).toMatch(/^[0-9a-f]{16}$/);
      seen.add(long).add(short);
    }
    expect(seen.size).toBe(4000);
  });

  it('draws again when every digit came out zero', () => {
    const random = jest.spyOn(Math, 'random');
    for (let i = 0; i < 4; i++) random.mockReturnValueOnce(0);
    expect(randomHex(2)).toMatch(/^(?!0000)[0-9a-f]{4}$/);
    random.mockRestore();
  });
});
