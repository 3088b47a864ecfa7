// Shared hooks: subscribe to a store, load async data, search as you type.
import { useEffect, useState } from './lib.js';
import { search } from './store/search.js';
import { dataChanged } from './sync/state.js';

/** The current time, again every `everyMs` (relative times move on while a screen is open). */
export function useNow(everyMs = 60_000) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

export function useStore(store) {
  const [value, setValue] = useState(store.get());
  useEffect(() => {
    setValue(store.get());
    return store.subscribe(setValue);
  }, [store]);
  return value;
}

/** Run `load(signal)` when deps change: {data, error, loading, reload, setData}. */
export function useAsync(load, deps) {
  const [state, setState] = useState({ data: null, error: null, loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const controller = new AbortController();
    setState((s) => ({ ...s, loading: true, error: null }));
    load(controller.signal).then(
      (data) => setState({ data, error: null, loading: false }),
      (error) => {
        if (error.name !== 'AbortError') setState({ data: null, error, loading: false });
      },
    );
    return () => controller.abort();
  }, [...deps, tick]);
  return {
    ...state,
    reload: () => setTick((n) => n + 1),
    setData: (update) => setState((s) => ({ ...s, data: update(s.data) })),
  };
}

/** useAsync that also reloads, quietly (data kept on screen), whenever local data changed:
 *  a pulled page, a queued write, a push answer. */
export function useLive(load, deps) {
  const result = useAsync(load, deps);
  useEffect(() => dataChanged.subscribe(() => {
    load().then((data) => result.setData(() => data), () => {});
  }), deps);
  return result;
}

/** Results for `q` as the user types: debounced, stale requests aborted. */
export function useSearch(q, { types, delay = 150 } = {}) {
  const [state, setState] = useState({ items: [], loading: false, error: null, q: '' });
  useEffect(() => {
    const query = q.trim();
    if (!query) {
      setState({ items: [], loading: false, error: null, q: '' });
      return undefined;
    }
    const controller = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    const timer = setTimeout(() => {
      search(query, { types, signal: controller.signal }).then(
        (body) => setState({ items: body.items, loading: false, error: null, q: query }),
        (error) => {
          if (error.name !== 'AbortError') setState({ items: [], loading: false, error, q: query });
        },
      );
    }, delay);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [q, types]);
  return state;
}
