// A call started from a tel: link, remembered for the tab so the app can offer to log it
// when the user comes back (the phone app hides the page meanwhile).
const KEY = 'tournee.pendingCall';
const MAX_AGE_MS = 3 * 60 * 60 * 1000;

/** call: {name, phone, company_id, contact_id, started_at} */
export function rememberCall(call) {
  try {
    sessionStorage.setItem(KEY, JSON.stringify({ ...call, started_at: new Date().toISOString() }));
  } catch {
    // storage unavailable: no prompt afterwards, nothing else breaks
  }
}

export function pendingCall() {
  try {
    const call = JSON.parse(sessionStorage.getItem(KEY) || 'null');
    if (call && Date.now() - new Date(call.started_at) < MAX_AGE_MS) return call;
  } catch {
    // unreadable entry: treat as none
  }
  return null;
}

export function forgetCall() {
  try {
    sessionStorage.removeItem(KEY);
  } catch {
    // nothing to forget
  }
}
