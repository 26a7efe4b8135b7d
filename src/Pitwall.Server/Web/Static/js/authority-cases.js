// The authority's list of cases: the feed carries only this authority's cases; changes re-read the list.
import { feed, panels, throttle, announce } from './console.js';

const refresh = panels('/authority?handler=Panels', ['cases-panel']);
const often = throttle(refresh, 3000);

feed('/portal/events/authority', {
  ready: refresh,
  'soc.case_opened': (k) => { announce(`New case: ${k.vin}`); refresh(); },
  'soc.case_updated': (k) => { if (k.state === 'handed_over') announce(`Case handed to you: ${k.vin}`); refresh(); },
  'soc.tracking': often,
});
