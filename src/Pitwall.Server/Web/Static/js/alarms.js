// Alarms page: the anti-theft alarms and the valet alarm follow the car live (fresh server-rendered panels when the car
// reports an alarm or a valet event, or while the car has not yet confirmed the valet settings). Every position in the
// tables is also a marker on a small Leaflet map (Leaflet from npm, loaded by the page as a classic script); without
// Leaflet or tiles the page stays usable with the coordinates as text.
import { follow, notice, panel } from './live.js';
import { tileMap } from './map.js';

const vin = decodeURIComponent(location.pathname.split('/')[2]);
const base = `/vehicles/${encodeURIComponent(vin)}/alarms`;
const panels = ['alarm-history-panel', 'valet-panel', 'valet-events-panel'];
const mapElement = document.getElementById('alarm-map');
const L = window.L;
const colours = { alarm: '#a3201d', valet: '#0b5cad', parked: '#1a6b2f' };

const map = tileMap(mapElement);
const markers = map ? L.layerGroup().addTo(map) : null;

/** One marker per position link in the tables; a click on a link shows its marker. */
function drawMarkers(fit) {
  if (!markers) return;
  markers.clearLayers();
  const points = [];
  for (const link of document.querySelectorAll('a.position')) {
    const at = [parseFloat(link.dataset.lat), parseFloat(link.dataset.lon)];
    if (!Number.isFinite(at[0]) || !Number.isFinite(at[1])) continue;
    const marker = L.circleMarker(at, {
      radius: 7, weight: 2, color: colours[link.dataset.kind] ?? '#4a5563', className: `alarm-marker marker-${link.dataset.kind}`,
    }).bindTooltip(link.dataset.label).addTo(markers);
    link._marker = marker;
    points.push(at);
  }
  if (fit && points.length > 0) map.fitBounds(points, { maxZoom: 15, padding: [20, 20] });
}

document.addEventListener('click', (event) => {
  const link = event.target.closest?.('a.position');
  if (!link || !map || !link._marker) return;
  event.preventDefault();
  map.setView(link._marker.getLatLng(), Math.max(map.getZoom(), 15));
  link._marker.openTooltip();
  mapElement.scrollIntoView({ block: 'nearest' });
});

const refreshPanels = panel(null, `${base}?handler=Panels`, panels);

/** Replaces the live panels with fresh ones from the server (at most one request at a time) and redraws the markers. */
async function refresh() {
  await refreshPanels();
  drawMarkers(false);
  waitForCar();
}

let polls = 0;
let polling = null;

/** While the car has not confirmed the valet settings, look again every two seconds (for at most ten minutes). */
function waitForCar() {
  const state = document.getElementById('valet-state');
  if (polling || polls > 300 || state?.dataset.confirmed !== 'false') return;
  polling = setTimeout(async () => {
    polling = null;
    polls++;
    await refresh();
  }, 2000);
}

drawMarkers(true);
waitForCar();

const source = follow(vin, async (type, data) => {
  if (type === 'vehicle.notification') notice(data.message);
  if (type === 'ready' || type === 'vehicle.privacy') await refresh();
});
for (const type of ['vehicle.alarm', 'vehicle.valet']) {
  source.addEventListener(type, async (event) => {
    if (JSON.parse(event.data).vin === vin) await refresh();
  });
}
