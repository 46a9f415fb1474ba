/*
 * A mergeable quantile sketch with relative accuracy: values are counted in logarithmic bins, so a
 * quantile is answered within SKETCH_RELATIVE_ACCURACY of the value at that rank, whatever the
 * scale (0.05 for CLS, 50,000 ms for a slow load). Sketches of two buckets, or of the same bucket
 * before and after a restart, merge by adding bin counts. The idea is the one DDSketch describes;
 * this is our own small implementation.
 */

/** Relative error of a quantile read from a sketch: the answer is within 2% of the true value. */
export const SKETCH_RELATIVE_ACCURACY = 0.02;
/**
 * Bins one sketch keeps. 320 bins at 2% cover a range of 1 to 360,000 (0.1 ms to 36 s, say) without
 * loss; past it the bins nearest zero are merged, which coarsens only the lowest quantiles.
 */
export const MAX_SKETCH_BINS = 320;

const GAMMA = (1 + SKETCH_RELATIVE_ACCURACY) / (1 - SKETCH_RELATIVE_ACCURACY);
const LN_GAMMA = Math.log(GAMMA);
/** Magnitudes below this count as zero. */
const MIN_MAGNITUDE = 1e-9;

/** The stored form: positive and negative bins as [index, count] pairs, and the zero count. */
export interface SketchJson {
  p: [number, number][];
  n: [number, number][];
  z: number;
}

function binOf(magnitude: number): number {
  return Math.ceil(Math.log(magnitude) / LN_GAMMA);
}

/** The middle (in relative terms) of bin i, which holds (GAMMA^(i-1), GAMMA^i]. */
function valueOf(bin: number): number {
  return (2 * Math.pow(GAMMA, bin)) / (GAMMA + 1);
}

export class QuantileSketch {
  private readonly pos = new Map<number, number>();
  private readonly neg = new Map<number, number>();
  private zero = 0;
  count = 0;
  min = Infinity;
  max = -Infinity;

  /** Adds a finite value; others are ignored. */
  add(v: number, n = 1): void {
    if (!Number.isFinite(v) || n <= 0) return;
    if (v > MIN_MAGNITUDE) bump(this.pos, binOf(v), n);
    else if (v < -MIN_MAGNITUDE) bump(this.neg, binOf(-v), n);
    else this.zero += n;
    this.count += n;
    if (v < this.min) this.min = v;
    if (v > this.max) this.max = v;
    this.collapse();
  }

  merge(other: QuantileSketch): void {
    for (const [b, n] of other.pos) bump(this.pos, b, n);
    for (const [b, n] of other.neg) bump(this.neg, b, n);
    this.zero += other.zero;
    this.count += other.count;
    this.min = Math.min(this.min, other.min);
    this.max = Math.max(this.max, other.max);
    this.collapse();
  }

  get bins(): number {
    return this.pos.size + this.neg.size + (this.zero > 0 ? 1 : 0);
  }

  /**
   * The value at quantile q (0..1): the value of rank ceil(q * count) (the nearest-rank definition),
   * within SKETCH_RELATIVE_ACCURACY; null for an empty sketch. Exact at 0 and 1.
   */
  quantile(q: number): number | null {
    if (this.count === 0) return null;
    if (q <= 0) return this.min;
    if (q >= 1) return this.max;
    const rank = Math.max(0, Math.ceil(q * this.count - 1e-9) - 1);
    let seen = 0;
    const negBins = [...this.neg.keys()].sort((a, b) => b - a);
    for (const b of negBins) {
      seen += this.neg.get(b) as number;
      if (seen > rank) return this.clamp(-valueOf(b));
    }
    seen += this.zero;
    if (seen > rank) return this.clamp(0);
    const posBins = [...this.pos.keys()].sort((a, b) => a - b);
    for (const b of posBins) {
      seen += this.pos.get(b) as number;
      if (seen > rank) return this.clamp(valueOf(b));
    }
    return this.max;
  }

  toJSON(): SketchJson {
    return { p: [...this.pos.entries()], n: [...this.neg.entries()], z: this.zero };
  }

  /** A sketch from its stored form, with the bucket's count, min and max. */
  static fromJSON(json: SketchJson, min: number, max: number): QuantileSketch {
    const s = new QuantileSketch();
    for (const [b, n] of json.p) bump(s.pos, b, n);
    for (const [b, n] of json.n) bump(s.neg, b, n);
    s.zero = json.z;
    s.count = json.z + sum(json.p) + sum(json.n);
    s.min = min;
    s.max = max;
    return s;
  }

  private clamp(v: number): number {
    return Math.min(this.max, Math.max(this.min, v));
  }

  /** Past MAX_SKETCH_BINS, folds the bins nearest zero into their neighbour. */
  private collapse(): void {
    while (this.pos.size + this.neg.size > MAX_SKETCH_BINS) {
      const from = this.neg.size > 0 ? this.neg : this.pos;
      const keys = [...from.keys()].sort((a, b) => a - b);
      const [lowest, next] = keys;
      if (lowest === undefined) return;
      const n = from.get(lowest) as number;
      from.delete(lowest);
      if (next === undefined) this.zero += n;
      else bump(from, next, n);
    }
  }
}

function bump(m: Map<number, number>, bin: number, n: number): void {
  m.set(bin, (m.get(bin) ?? 0) + n);
}

function sum(pairs: [number, number][]): number {
  return pairs.reduce((s, [, n]) => s + n, 0);
}
