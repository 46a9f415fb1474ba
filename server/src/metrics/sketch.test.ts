import { MAX_SKETCH_BINS, QuantileSketch, SKETCH_RELATIVE_ACCURACY } from './sketch';

/** A deterministic pseudo-random sequence, so that failures can be replayed. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** The value of rank ceil(q*n) of the sorted values (nearest rank): what the sketch approximates. */
function exact(sorted: number[], q: number): number {
  return sorted[Math.ceil(q * sorted.length) - 1] as number;
}

describe('QuantileSketch', () => {
  it('answers quantiles of spread-out durations within its relative accuracy', () => {
    const next = random(7);
    const values = Array.from({ length: 20_000 }, () => Math.exp(3 + 2.5 * (next() + next() + next() - 1.5)));
    const sketch = new QuantileSketch();
    for (const v of values) sketch.add(v);
    const sorted = [...values].sort((a, b) => a - b);
    for (const q of [0.01, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99]) {
      const want = exact(sorted, q);
      const got = sketch.quantile(q) as number;
      expect(Math.abs(got - want) / want).toBeLessThanOrEqual(SKETCH_RELATIVE_ACCURACY + 1e-9);
    }
    expect(sketch.quantile(0)).toBe(sorted[0]);
    expect(sketch.quantile(1)).toBe(sorted[sorted.length - 1]);
    expect(sketch.count).toBe(values.length);
  });

  it('handles zero, negative and tiny values (CLS, deltas)', () => {
    const sketch = new QuantileSketch();
    for (const v of [-5, -1, 0, 0, 0.05, 0.1, 0.25, 2]) sketch.add(v);
    expect(sketch.quantile(0)).toBe(-5);
    expect(sketch.quantile(2 / 7)).toBe(0);
    expect(Math.abs((sketch.quantile(6 / 7) as number) - 0.25) / 0.25).toBeLessThanOrEqual(0.02);
    expect(sketch.quantile(1 / 7)).toBeCloseTo(-1, 1);
    sketch.add(NaN);
    sketch.add(Infinity);
    expect(sketch.count).toBe(8);
  });

  it('merges and round-trips through its stored form without changing an answer', () => {
    const next = random(11);
    const a = new QuantileSketch();
    const b = new QuantileSketch();
    const all = new QuantileSketch();
    for (let i = 0; i < 5000; i++) {
      const v = next() * 1000;
      (i % 2 ? a : b).add(v);
      all.add(v);
    }
    const restored = QuantileSketch.fromJSON(JSON.parse(JSON.stringify(a)), a.min, a.max);
    restored.merge(b);
    for (const q of [0.1, 0.5, 0.95]) expect(restored.quantile(q)).toBe(all.quantile(q));
    expect(restored.count).toBe(all.count);
  });

  it('keeps at most MAX_SKETCH_BINS bins, coarsening only the low end', () => {
    const sketch = new QuantileSketch();
    for (let e = -9; e <= 12; e += 0.01) sketch.add(10 ** e);
    expect(sketch.bins).toBeLessThanOrEqual(MAX_SKETCH_BINS + 1);
    const p99 = sketch.quantile(0.99) as number;
    const want = 10 ** (-9 + 0.99 * 21);
    expect(Math.abs(p99 - want) / want).toBeLessThan(0.05);
    expect(new QuantileSketch().quantile(0.5)).toBeNull();
  });
});
