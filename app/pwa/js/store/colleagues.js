// Active colleagues (the synced users store; the server's directory before the first sync),
// for @mentions.
import { api } from '../api.js';
import { hasSynced } from '../sync/pull.js';
import { getAll } from './db.js';
import { fold } from './local.js';
import { session } from './session.js';

const FRESH_MS = 60_000;
let cached = null; // {at, list}: one read per minute while typing

async function colleagues() {
  const all = (await hasSynced()) ? await getAll('users') : (await api('/users')).items;
  const me = (session.get().user || {}).id;
  return all.filter((user) => user.id !== me && user.active !== false && user.name)
    .sort((a, b) => a.name.localeCompare(b.name, 'fr'));
}

/** Colleagues whose name has a word starting with `prefix` (accents and case ignored). */
export async function findColleagues(prefix, limit = 6) {
  if (!cached || Date.now() - cached.at > FRESH_MS) cached = { at: Date.now(), list: await colleagues() };
  const words = fold(prefix).split(/\s+/).filter(Boolean);
  const { list } = cached;
  return list.filter((user) => {
    const name = fold(user.name).split(/[^\p{L}\p{N}]+/u);
    // "@jean pi" matches "Jean Pierre": each typed word starts a later word of the name.
    let at = 0;
    return words.every((word) => {
      const found = name.findIndex((part, i) => i >= at && part.startsWith(word));
      at = found + 1;
      return found >= 0;
    });
  }).slice(0, limit);
}
