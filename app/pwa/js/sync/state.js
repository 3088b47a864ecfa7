// What the header indicator and the sync screens show, and a channel saying "the local data
// changed, read it again". Pages subscribe; the sync engine and the outbox publish.
import { createChannel, createState } from '../store/state.js';

export const syncState = createState({
  online: typeof navigator === 'undefined' ? true : navigator.onLine,
  pending: 0, // mutations waiting in the outbox (exchanges, photos, edits)
  attention: 0, // rejected or conflicting mutations waiting for the user
  lastSyncAt: null, // ISO time of the last complete pull
  ready: false, // a first full pull has finished on this device
  syncing: false,
  progress: null, // {received, has_more} during a first sync
  needsLogin: false, // the server said 401: the outbox waits for a new login
  live: false, // the live socket is open (a hint only: nothing depends on it)
});

export const dataChanged = createChannel();
