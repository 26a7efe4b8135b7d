// The assistance centre's queue: every new call and change from the assistance feed re-reads the server-rendered panels, so
// the queue stays ordered (emergency calls first, then by waiting time) without reloading.
import { feed, panels, announce } from './console.js';

const refresh = panels('/assistance?handler=Panels', ['queue-panel', 'closed-panel']);

feed('/portal/events/assistance', {
  ready: refresh,
  'assistance.case_opened': (k) => { announce(k.kind === 'emergency' ? 'New emergency call' : 'New breakdown call'); refresh(); },
  'assistance.case_updated': refresh,
});
