// An assistance case: the car's position on a Leaflet map (when the driver agreed to show it) and the server-rendered panels
// (summary, diagnosis, timeline with live-diagnosis answers) re-read whenever the assistance feed says the case changed.
import { feed, panels, announce } from './console.js';
import { showMap } from './map.js';

const root = document.getElementById('case');
const caseId = root.dataset.case;
const mapElement = document.getElementById('case-map');
const map = mapElement ? showMap(mapElement) : null;
if (map && mapElement) map.place(Number(mapElement.dataset.lat), Number(mapElement.dataset.lon));

const refresh = panels(`/assistance/cases/${encodeURIComponent(caseId)}?handler=Panels`, ['case-summary', 'case-data', 'timeline-panel']);

feed('/portal/events/assistance', {
  ready: refresh,
  'assistance.case_updated': (k) => {
    if (k.id !== caseId) return;
    if (k.liveDiagnosis) announce('The car answered the live diagnosis');
    refresh();
  },
});
