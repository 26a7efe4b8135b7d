// The authority's list of cases: the feed carries only this authority's cases; changes re-read the list.
import { feed, panels, throttle, announce, text } from './console.js';

const words = document.getElementById('authority-cases')?.dataset ?? {};

const refresh = panels('/authority?handler=Panels', ['cases-panel']);
const often = throttle(refresh, 3000);

feed('/portal/events/authority', {
  ready: refresh,
  'soc.case_opened': (k) => { announce(text(words.newCase, k.vin, 'New case: {0}')); refresh(); },
  'soc.case_updated': (k) => { if (k.state === 'handed_over') announce(text(words.handedOver, k.vin, 'Case handed to you: {0}')); refresh(); },
  'soc.tracking': often,
});
