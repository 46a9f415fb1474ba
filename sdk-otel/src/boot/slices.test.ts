import { runInSlices } from './slices';

const MEASURE = 'test:slices';
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
const measures = () => performance.getEntriesByName(MEASURE, 'measure').length;

describe('deferred work in slices', () => {
  afterEach(() => performance.clearMeasures(MEASURE));

  it('runs one step per task, in order, each with a measure', async () => {
    const ran: number[] = [];
    runInSlices(
      [1, 2, 3].map((n) => () => void ran.push(n)),
      MEASURE,
    );
    expect(ran).toEqual([]);
    await tick();
    expect(ran).toEqual([1]);
    await tick();
    expect(ran).toEqual([1, 2]);
    await tick();
    expect(ran).toEqual([1, 2, 3]);
    // Each step's measure is recorded in the task after it, with the step's own start and end.
    expect(measures()).toBe(2);
    await tick();
    expect(measures()).toBe(3);
    const [a, b, c] = performance.getEntriesByName(MEASURE, 'measure');
    expect(a!.startTime + a!.duration).toBeLessThanOrEqual(b!.startTime);
    expect(b!.startTime + b!.duration).toBeLessThanOrEqual(c!.startTime);
  });

  it('finish() runs what is left at once, and nothing runs twice', async () => {
    const ran: number[] = [];
    const slices = runInSlices(
      [1, 2, 3].map((n) => () => void ran.push(n)),
      MEASURE,
    );
    await tick();
    slices.finish();
    expect(ran).toEqual([1, 2, 3]);
    await tick();
    await tick();
    expect(ran).toEqual([1, 2, 3]);
  });

  it('a step calling finish() runs the later steps inside its own measure', async () => {
    const ran: number[] = [];
    const slices: { finish(): void } = runInSlices(
      [() => void ran.push(1), () => (ran.push(2), slices.finish()), () => void ran.push(3)],
      MEASURE,
    );
    slices.finish();
    expect(ran).toEqual([1, 2, 3]);
    expect(measures()).toBe(0);
    await tick();
    expect(measures()).toBe(2);
  });

  it('a step returning a promise has the next step wait for it', async () => {
    const ran: number[] = [];
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    runInSlices([() => gate, () => void ran.push(2)], MEASURE);
    await tick();
    await tick();
    expect(ran).toEqual([]);
    release();
    await gate;
    await tick();
    expect(ran).toEqual([2]);
  });

  it('with `after`, the first step runs in the task after `after` settles', async () => {
    const ran: number[] = [];
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    runInSlices([() => void ran.push(1), () => void ran.push(2)], MEASURE, gate);
    await tick();
    await tick();
    expect(ran).toEqual([]);
    release();
    await gate;
    expect(ran).toEqual([]);
    await tick();
    expect(ran).toEqual([1]);
    await tick();
    expect(ran).toEqual([1, 2]);

    // Settled already: still not before the next task (never inside the caller's task).
    const early: number[] = [];
    runInSlices([() => void early.push(1)], MEASURE, Promise.resolve());
    await Promise.resolve();
    await Promise.resolve();
    expect(early).toEqual([]);
    await tick();
    expect(early).toEqual([1]);
  });

  it('cancel() drops the steps not yet run', async () => {
    const ran: number[] = [];
    const slices = runInSlices(
      [1, 2].map((n) => () => void ran.push(n)),
      MEASURE,
    );
    await tick();
    slices.cancel();
    await tick();
    slices.finish();
    expect(ran).toEqual([1]);
  });
});
