/**
 * Runs tasks one after another: a DuckDB connection runs one statement at a time, and a flush must
 * not interleave with a rule being deleted. A failed task does not stop the ones after it.
 */
export class Serial {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
