// A tiny observable value: stores own state, views subscribe (one-way flow store -> view).

export function createState(initial) {
  let value = initial;
  const listeners = new Set();
  return {
    get: () => value,
    set(next) {
      value = typeof next === 'function' ? next(value) : next;
      listeners.forEach((listener) => listener(value));
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** A fire-and-forget event channel ("an exchange was created"). */
export function createChannel() {
  const listeners = new Set();
  return {
    emit: (payload) => listeners.forEach((listener) => listener(payload)),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
