// Web push on this device: what the browser can do, turning it on (only ever after a tap:
// the permission prompt is the browser's) and off, and the /api/push calls of the settings.
import { api } from './api.js';
import { getMeta, putMeta } from './store/db.js';

const META_KEY = 'push_subscription_id'; // the server's id for this device's subscription
const READY_TIMEOUT_MS = 10_000;

/** A push step that failed for a reason the screen explains: `code` names it. */
export class PushProblem extends Error {
  constructor(code, cause) {
    super(code);
    this.name = 'PushProblem';
    this.code = code; // denied | dismissed | no_worker | subscribe_failed
    this.cause = cause;
  }
}

export function pushSupported() {
  return 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;
}

/** iPhone, iPad (an iPad says "Macintosh" but has a touch screen). */
export function isIOS(ua = navigator.userAgent, touchPoints = navigator.maxTouchPoints || 0) {
  return /iPhone|iPad|iPod/.test(ua) || (/Macintosh/.test(ua) && touchPoints > 1);
}

/** Opened from the home screen icon (iOS only allows push there). */
export function isStandalone() {
  return navigator.standalone === true
    || (typeof matchMedia === 'function' && matchMedia('(display-mode: standalone)').matches);
}

/** "Chrome · Android": a short name for this device in the "my devices" list. */
export function deviceLabel(ua = navigator.userAgent, touchPoints = navigator.maxTouchPoints || 0) {
  const browsers = [[/Edg(A|iOS)?\//, 'Edge'], [/OPR\//, 'Opera'], [/SamsungBrowser\//, 'Samsung Internet'],
    [/Firefox\/|FxiOS\//, 'Firefox'], [/Chrome\/|CriOS\//, 'Chrome'], [/Safari\//, 'Safari']];
  const systems = [[/Android/, 'Android'], [/iPhone|iPod/, 'iPhone'], [/iPad/, 'iPad'],
    [/CrOS/, 'ChromeOS'], [/Windows/, 'Windows'], [/Macintosh/, touchPoints > 1 ? 'iPad' : 'macOS'],
    [/Linux/, 'Linux']];
  const pick = (table) => (table.find(([pattern]) => pattern.test(ua)) || [null, null])[1];
  return [pick(browsers), pick(systems)].filter(Boolean).join(' · ') || null;
}

/** The VAPID key (base64url) as the bytes pushManager.subscribe() wants. */
export function base64UrlToBytes(text) {
  const base64 = (text + '='.repeat((4 - (text.length % 4)) % 4)).replace(/-/g, '+').replace(/_/g, '/');
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}

function sameBytes(buffer, bytes) {
  if (!buffer) return false;
  const other = new Uint8Array(buffer);
  return other.length === bytes.length && other.every((b, i) => b === bytes[i]);
}

async function registration() {
  const timeout = new Promise((resolve) => { setTimeout(resolve, READY_TIMEOUT_MS, null); });
  const ready = await Promise.race([navigator.serviceWorker.ready, timeout]);
  if (!ready) throw new PushProblem('no_worker');
  return ready;
}

/** off | on | blocked | unsupported | ios_install (iOS outside the home screen app). */
export async function deviceStatus() {
  if (isIOS() && !isStandalone()) return 'ios_install';
  if (!pushSupported()) return 'unsupported';
  if (Notification.permission === 'denied') return 'blocked';
  if (Notification.permission !== 'granted') return 'off';
  const existing = await navigator.serviceWorker.getRegistration();
  const subscription = existing && await existing.pushManager.getSubscription();
  return subscription && (await getMeta(META_KEY)) ? 'on' : 'off';
}

export function currentSubscriptionId() {
  return getMeta(META_KEY);
}

/** Ask (after the user's tap), subscribe with the server's key, register it; the new item. */
export async function enablePush() {
  const permission = await Notification.requestPermission();
  if (permission !== 'granted') throw new PushProblem(permission === 'denied' ? 'denied' : 'dismissed');
  const { key: publicKey } = await api('/push/vapid-public-key');
  const key = base64UrlToBytes(publicKey);
  const worker = await registration();
  let subscription = await worker.pushManager.getSubscription();
  if (subscription && !sameBytes(subscription.options.applicationServerKey, key)) {
    await subscription.unsubscribe(); // made with another server key: useless now
    subscription = null;
  }
  try {
    subscription = subscription
      || await worker.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
  } catch (error) {
    throw new PushProblem('subscribe_failed', error);
  }
  const { endpoint, keys } = subscription.toJSON();
  const item = await api('/push/subscriptions', {
    method: 'POST', body: { endpoint, keys, label: deviceLabel() },
  });
  await putMeta(META_KEY, item.id);
  return item;
}

/** Forget this device on the server (if we can) and in the browser. */
export async function disablePush() {
  const id = await getMeta(META_KEY);
  if (id) await removeDevice(id);
  await putMeta(META_KEY, null);
  const existing = pushSupported() ? await navigator.serviceWorker.getRegistration() : null;
  const subscription = existing && await existing.pushManager.getSubscription();
  if (subscription) await subscription.unsubscribe();
}

/** On logout: the next person on this device must not get this user's notifications. The
 *  browser's unsubscribe alone kills the endpoint; the server prunes it on its next send. */
export async function forgetPushOnLogout() {
  try {
    await disablePush();
  } catch {
    try { // offline: the server could not be told; unsubscribe here at least
      const existing = pushSupported() ? await navigator.serviceWorker.getRegistration() : null;
      const subscription = existing && await existing.pushManager.getSubscription();
      if (subscription) await subscription.unsubscribe();
    } catch {
      // nothing more to do: logging out must not fail on this
    }
  }
}

export async function removeDevice(id) {
  try {
    await api(`/push/subscriptions/${encodeURIComponent(id)}`, { method: 'DELETE' });
  } catch (error) {
    if (error.status !== 404) throw error; // already gone: fine
  }
  if (id === (await getMeta(META_KEY))) await putMeta(META_KEY, null);
}

export async function listDevices(signal) {
  return (await api('/push/subscriptions', { signal })).items;
}

/** {devices: N}: how many of my devices the test was sent to. */
export function sendTest() {
  return api('/push/test', { method: 'POST' });
}

export function getPreferences(signal) {
  return api('/push/preferences', { signal });
}

/** `extra`: the optional fields (inapp, email, auto_follow, reminder_minutes); omitted = kept. */
export function savePreferences({ kinds, quietHours, extra = {} }) {
  return api('/push/preferences', {
    method: 'PUT',
    body: { ...extra, kinds, quiet_hours: quietHours,
      timezone: Intl.DateTimeFormat().resolvedOptions().timeZone },
  });
}
