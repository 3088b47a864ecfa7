// The signed-in user. 401 anywhere -> anonymous -> the app shows the login screen (the outbox
// stays as it is). Offline at start, the last user of this device is trusted until the
// server answers again (the session cookie decides then).
import { api, onUnauthorized, setCsrfToken } from '../api.js';
import { forgetPushOnLogout } from '../push.js';
import { getMeta, putMeta, wipeForLogout } from './db.js';
import { resetPicklists } from './picklists.js';
import { createState } from './state.js';

// status: loading | anonymous | ready | error (server unreachable on start, nobody on file)
export const session = createState({ status: 'loading', user: null, error: null });

async function signedIn({ user, csrf_token: token }) {
  setCsrfToken(token);
  const previous = await getMeta('user');
  // Another person on this device: their records go (their unsent work stays queued).
  if (previous && previous.id !== user.id) await wipeForLogout();
  await putMeta('user', user);
  session.set({ status: 'ready', user, error: null });
  return user;
}

function signedOut() {
  setCsrfToken(null);
  resetPicklists();
  session.set({ status: 'anonymous', user: null, error: null });
}

onUnauthorized(() => {
  if (session.get().status !== 'anonymous') signedOut();
});

export async function restoreSession() {
  try {
    return await signedIn(await api('/auth/me'));
  } catch (error) {
    if (error.status === 401) {
      signedOut();
      return null;
    }
    const known = error.status === 0 ? await getMeta('user') : null;
    if (known) session.set({ status: 'ready', user: known, error: null });
    else session.set({ status: 'error', user: null, error });
    return known || null;
  }
}

export async function login(email, password) {
  return signedIn(await api('/auth/login', { method: 'POST', body: { email, password } }));
}

/** Sign out; everything on the device goes except the outbox, its photos and the counters;
 *  so do this device's push subscription and the live socket (views/app.js). */
export async function logout() {
  try {
    await forgetPushOnLogout(); // while the session can still delete this device's subscription
    await api('/auth/logout', { method: 'POST' });
  } catch {
    // offline: the cookie stays on the server side until it expires; the device forgets anyway
  } finally {
    await wipeForLogout();
    signedOut();
  }
}
