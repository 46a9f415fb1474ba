import { useEffect, useState } from 'react';
import { RumApiError } from '../datasource/api';

export interface AsyncState<T> {
  loading: boolean;
  value?: T;
  error?: RumApiError;
}

/**
 * Runs `load` whenever `deps` change and keeps its latest answer; an answer that arrives after the
 * deps moved on is dropped, so a slow old request never overwrites a newer one.
 */
export function useAsync<T>(
  load: () => Promise<T>,
  deps: readonly unknown[],
): AsyncState<T> & { reload: () => void } {
  const [state, setState] = useState<AsyncState<T>>({ loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let current = true;
    setState((s) => ({ loading: true, value: s.value }));
    new Promise<T>((resolve) => resolve(load())).then(
      (value) => current && setState({ loading: false, value }),
      (e: unknown) =>
        current &&
        setState({
          loading: false,
          error:
            e instanceof RumApiError ? e : new RumApiError(e instanceof Error ? e.message : String(e), 0),
        }),
    );
    return () => {
      current = false;
    };
  }, [...deps, tick]);
  return { ...state, reload: () => setTick((t) => t + 1) };
}
