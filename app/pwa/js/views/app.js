// The shell: session gate (login / app), hash routes, and the app-wide sheet, banner, toasts;
// sync and the live socket run while someone is signed in.
import { html, useEffect, useState } from '../lib.js';
import { getLocale, onLocaleChange, t } from '../i18n/index.js';
import { useStore } from '../hooks.js';
import { useRoute } from '../router.js';
import { restoreSession, session } from '../store/session.js';
import { startSync, stopSync } from '../sync/engine.js';
import { startLive, stopLive } from '../sync/live.js';
import { startInbox, stopInbox } from '../store/inbox.js';
import { PostCallBanner } from '../components/post-call-banner.js';
import { QuickLog } from '../components/quick-log.js';
import { ReassignSheet } from '../components/alert-reassign.js';
import { TaskSheet } from '../components/task-sheet.js';
import { Notice } from '../components/notice.js';
import { ErrorMessage, Loading } from '../components/status.js';
import { Toast } from '../components/toast.js';
import { UpdateToast } from '../components/update-toast.js';
import { AgendaView } from './agenda.js';
import { AlertsView, AlertView } from './alerts.js';
import { AttentionView } from './attention.js';
import { CompanyView } from './company.js';
import { ConflictView } from './conflict.js';
import { ContactView } from './contact.js';
import { DealView } from './deal.js';
import { EditRecordView } from './edit-record.js';
import { HomeView } from './home.js';
import { InboxView } from './inbox.js';
import { LoginView } from './login.js';
import { NewCompanyView } from './new-company.js';
import { NewContactView } from './new-contact.js';
import { NotFoundView } from './not-found.js';
import { NotificationsView } from './notifications.js';
import { SearchView } from './search.js';
import { SettingsView } from './settings.js';
import { AlertRulesView } from './alert-rules.js';
import { TaskView } from './task.js';
import { TasksView } from './tasks.js';

const RECORD_VIEWS = { companies: CompanyView, contacts: ContactView, deals: DealView };
const NEW_VIEWS = { company: NewCompanyView, contact: NewContactView };
const EDIT_TYPES = { companies: 'company', contacts: 'contact', deals: 'deal' };

function screenFor({ parts, query }, user) {
  const [section, id, action] = parts;
  if (!section) return html`<${HomeView} user=${user} />`;
  if (section === 'search' && !id) return html`<${SearchView} query=${query} />`;
  if (section === 'settings' && !id) return html`<${SettingsView} user=${user} />`;
  if (section === 'settings' && id === 'notifications' && !action) return html`<${NotificationsView} />`;
  if (section === 'settings' && id === 'alert-rules' && !action) return html`<${AlertRulesView} user=${user} />`;
  if (section === 'notifications' && !id) return html`<${InboxView} />`;
  if (section === 'attention' && !id) return html`<${AttentionView} />`;
  if (section === 'agenda' && !id) return html`<${AgendaView} />`;
  if (section === 'alerts' && !id) return html`<${AlertsView} query=${query} />`;
  if (section === 'alerts' && id && !action) return html`<${AlertView} key=${id} id=${id} query=${query} />`;
  if (section === 'tasks' && !id) return html`<${TasksView} query=${query} />`;
  if (section === 'tasks' && id && !action) return html`<${TaskView} key=${id} id=${id} />`;
  if (section === 'conflict' && id) return html`<${ConflictView} key=${id} seq=${id} />`;
  if (EDIT_TYPES[section] && id && action === 'edit') {
    return html`<${EditRecordView} key=${id} type=${EDIT_TYPES[section]} id=${id} />`;
  }
  if (RECORD_VIEWS[section] && id && !action) {
    const View = RECORD_VIEWS[section];
    return html`<${View} key=${id} id=${id} />`;
  }
  if (section === 'new' && NEW_VIEWS[id]) {
    const View = NEW_VIEWS[id];
    return html`<${View} query=${query} />`;
  }
  return html`<${NotFoundView} />`;
}

// "#main" would be read as a route: move focus by hand instead.
function skipToContent(event) {
  event.preventDefault();
  const main = document.getElementById('main');
  if (main) main.focus();
}

export function App() {
  const { status, user, error } = useStore(session);
  const route = useRoute();
  const [, setLocale] = useState(getLocale()); // re-render every screen on a language switch
  useEffect(() => onLocaleChange(setLocale), []);
  useEffect(() => {
    restoreSession();
  }, []);
  useEffect(() => window.scrollTo(0, 0), [route.path]);
  useEffect(() => {
    if (status === 'ready') {
      startSync();
      startLive();
      startInbox();
    } else {
      stopInbox();
      stopLive(); // logged out or 401: no socket until the next login
      stopSync();
    }
  }, [status]);

  if (status === 'loading') return html`<div class="splash"><${Loading} /></div>`;
  if (status === 'error') {
    return html`<div class="splash"><${ErrorMessage} error=${error} onRetry=${restoreSession} /></div>`;
  }
  if (status === 'anonymous') return html`<${LoginView} />`;
  return html`
    <a class="skip-link" href="#main" onClick=${skipToContent}>${t('nav.skip')}</a>
    ${screenFor(route, user)}
    <${QuickLog} />
    <${TaskSheet} />
    <${ReassignSheet} />
    <${PostCallBanner} />
    <${Toast} />
    <${Notice} />
    <${UpdateToast} />
  `;
}
