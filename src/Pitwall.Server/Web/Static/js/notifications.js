// Notifications page: new inbox entries appear live. The account's event stream (signed in by the portal cookie) says
// when a notification arrived for any of the account's cars; the inbox is then re-fetched as the server renders it,
// with each channel's delivery status.
import { panel } from './live.js';

const refreshInbox = panel(document.getElementById('inbox-panel'), '/account/notifications?handler=Inbox');
const source = new EventSource('/portal/events');
source.addEventListener('ready', () => refreshInbox());
source.addEventListener('vehicle.notification', () => refreshInbox());
