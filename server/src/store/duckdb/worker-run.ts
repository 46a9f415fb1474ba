import duckdb from '@duckdb/node-bindings';
import type { DuckDBPendingResult, DuckDBPreparedStatement } from '@duckdb/node-api';
import { WORKER_POLL_INTERVAL_MS, WORKER_WAIT_MAX_MS } from '@otel-rum/model';

/*
 * A statement run through the binding (`run()`) is executed by a thread of libuv's pool, which takes
 * the statement's tasks from DuckDB's queue; when one of DuckDB's own worker threads takes a task
 * first, the calling thread spins until it ends (DuckDB's PendingQueryResult loop has nothing to wait
 * on), so on two cores up to half of an insert's CPU time was that spinning. Here the statement's
 * tasks are left to DuckDB's workers: the JavaScript thread starts it, looks at its state every
 * millisecond (a timer, no thread waits meanwhile) and collects the result once it is done.
 */

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The binding's handle of a pending result (node-api keeps it in a private field). */
function handle(pending: DuckDBPendingResult): duckdb.PendingResult {
  const h = (pending as unknown as { pending_result?: duckdb.PendingResult }).pending_result;
  if (h === undefined)
    throw new Error(
      '@duckdb/node-api no longer keeps the binding handle in DuckDBPendingResult.pending_result',
    );
  return h;
}

/**
 * Runs the bound prepared statement on DuckDB's worker threads, its result discarded. `workers` is
 * the number of DuckDB threads besides the caller (`threads` - 1); without any, it runs as usual.
 * Errors are the statement's own, as from `run()`.
 */
export async function runOnWorkers(statement: DuckDBPreparedStatement, workers: number): Promise<void> {
  if (workers < 1) {
    await statement.run();
    return;
  }
  const pending = statement.start();
  const h = handle(pending);
  const started = performance.now();
  for (;;) {
    const state = duckdb.pending_execute_check_state(h);
    // Done, blocked on its result, or failed (a finished statement also reads as ERROR here):
    // getResult() returns or throws the statement's error.
    if (state !== duckdb.PendingState.NO_TASKS_AVAILABLE && state !== duckdb.PendingState.RESULT_NOT_READY)
      break;
    if (performance.now() - started >= WORKER_WAIT_MAX_MS) break;
    await sleep(WORKER_POLL_INTERVAL_MS);
  }
  await pending.getResult();
}
