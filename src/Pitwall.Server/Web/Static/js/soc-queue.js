// The security centre's queue: new cases, changes and (at most every few seconds) fresh urgencies from the SOC feed
// re-read the server-rendered panels, so the queue stays ordered by urgency without reloading.
import { feed, panels, throttle, announce, text } from './console.js';

// The live refresh keeps the operator's search and filter (the page's own query).
const query = new URLSearchParams(location.search);
query.set('handler', 'Panels');
const refresh = panels(`/soc?${query}`, ['queue-panel', 'health-panel', 'closed-panel']);
const often = throttle(refresh, 3000);

feed('/portal/events/soc', {
  ready: refresh,
  'soc.case_opened': (k) => { announce(text(document.getElementById('soc-queue')?.dataset.newCase, k.vin, 'New case: {0}')); refresh(); },
  'soc.case_updated': refresh,
  'soc.tracking': often,
  'soc.health_check_missed': refresh,
});
