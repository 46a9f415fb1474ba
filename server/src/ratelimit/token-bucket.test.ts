import { TokenBucket } from './token-bucket';

describe('token bucket', () => {
  let now = 0;
  const clock = () => now;

  it('lets a burst through, then the refill rate, and says how long to wait', () => {
    now = 0;
    const b = new TokenBucket(10, 20, clock);
    expect(b.wait(20)).toBe(0);
    b.take(20);
    expect(b.wait(1)).toBeCloseTo(0.1);
    now = 500; // half a second refills 5
    expect(b.wait(5)).toBe(0);
    expect(b.wait(6)).toBeCloseTo(0.1);
    now = 10_000; // never more than the bucket holds
    expect(b.wait(20)).toBe(0);
    expect(b.wait(21)).toBe(0); // a request larger than the bucket passes when the bucket is full
  });

  it('keeps the long-run rate when a request larger than the bucket passes: it leaves a debt', () => {
    now = 0;
    const b = new TokenBucket(10, 20, clock);
    b.take(50); // 30 in debt
    now = 1000; // +10: still 20 in debt
    expect(b.wait(1)).toBeCloseTo(2.1);
    now = 5000; // +40 since the start of the debt: 10 left
    expect(b.wait(10)).toBe(0);
  });
});
