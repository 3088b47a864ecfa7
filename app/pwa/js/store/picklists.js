// Exchange kinds and outcomes (admin-configurable), loaded once per session.
import { api } from '../api.js';

let pending = null;

function byPosition(items) {
  return [...items].sort((a, b) => (a.position ?? 0) - (b.position ?? 0));
}

async function fetchPicklists() {
  const [kinds, outcomes] = await Promise.all([api('/exchange-kinds'), api('/outcomes')]);
  const all = { kinds: byPosition(kinds.items), outcomes: byPosition(outcomes.items) };
  return {
    ...all,
    activeKinds: all.kinds.filter((k) => k.active !== false),
    activeOutcomes: all.outcomes.filter((o) => o.active !== false),
    kind: Object.fromEntries(all.kinds.map((k) => [k.key, k])),
    outcome: Object.fromEntries(all.outcomes.map((o) => [o.key, o])),
  };
}

/** {kinds, outcomes, activeKinds, activeOutcomes, kind[key], outcome[key]} */
export function loadPicklists() {
  if (!pending) {
    pending = fetchPicklists().catch((error) => {
      pending = null; // let the next screen retry
      throw error;
    });
  }
  return pending;
}

export function resetPicklists() {
  pending = null;
}
