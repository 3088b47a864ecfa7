// Exchange kinds and outcomes (admin-configurable), loaded once per session: from the device
// when a sync brought them, else from the network.
import { api } from '../api.js';
import { getAll } from './db.js';

let pending = null;

function byPosition(items) {
  return [...items].sort((a, b) => (a.position ?? 0) - (b.position ?? 0));
}

async function readPicklists() {
  const [kinds, outcomes] = await Promise.all([getAll('exchange_kinds'), getAll('outcomes')]);
  if (kinds.length && outcomes.length) return { kinds, outcomes };
  const [k, o] = await Promise.all([api('/exchange-kinds'), api('/outcomes')]);
  return { kinds: k.items, outcomes: o.items };
}

async function fetchPicklists() {
  const { kinds, outcomes } = await readPicklists();
  const all = { kinds: byPosition(kinds), outcomes: byPosition(outcomes) };
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
