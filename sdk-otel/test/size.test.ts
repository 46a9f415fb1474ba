import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { cdnBundle, loaderSnippet } from './support/bundle';

const budget = JSON.parse(readFileSync(join(__dirname, '..', 'size-budget.json'), 'utf8')) as {
  eagerGzipBytes: number;
  goalGzipBytes: number;
};
const gzip = (s: string) => gzipSync(Buffer.from(s), { level: 9 }).length;

describe('bundle size', () => {
  it('keeps the eager CDN bundle within its recorded budget (size-budget.json)', () => {
    const size = gzip(cdnBundle());
    expect(budget.eagerGzipBytes).toBeLessThanOrEqual(budget.goalGzipBytes);
    if (size > budget.eagerGzipBytes)
      throw new Error(
        `the eager bundle is ${size} bytes gzip, over its budget of ${budget.eagerGzipBytes} (size-budget.json)`,
      );
  });

  it('keeps the loader snippet small enough to inline', () => {
    expect(gzip(loaderSnippet())).toBeLessThan(600);
  });
});
