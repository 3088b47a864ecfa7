// The signed-in user. 401 anywhere -> anonymous -> the app shows the login screen.
import { api, onUnauthorized, setCsrfToken } from '../api.js';
import { resetPicklists } from './picklists.js';
import { createState } from './state.js';

// status: loading | anonymous | ready | error (server unreachable on start)
export const session = createState({ status: 'loading', user: null, error: null });

function signedIn({ user, csrf_token: token }) {
  setCsrfToken(token);
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
    return signedIn(await api('/auth/me'));
  } catch (error) {
    if (error.status === 401) signedOut();
    else session.set({ status: 'error', user: null, error });
    return null;
  }
}

export async function login(email, password) {
  return signedIn(await api('/auth/login', { method: 'POST', body: { email, password } }));
}

export async function logout() {
  try {
    await api('/auth/logout', { method: 'POST' });
  } finally {
    signedOut();
  }
}
