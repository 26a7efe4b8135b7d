// Notifications page: new inbox entries and each channel's delivery status appear live. The account's event stream (signed
// in by the portal cookie) says when a notification arrived for any of the account's cars and when a delivery was tried;
// the inbox is then re-fetched as the server renders it.
import { panel } from './live.js';

const refreshInbox = panel(document.getElementById('inbox-panel'), '/account/notifications?handler=Inbox');
const source = new EventSource('/portal/events');
source.addEventListener('ready', () => refreshInbox());
source.addEventListener('vehicle.notification', () => refreshInbox());
source.addEventListener('notification.delivery', () => refreshInbox());
