// Public charging: the stations of the map's area (Leaflet from npm, loaded by the page as a classic script; tiles through the
// server's proxy) with each EVSE's availability; moving the map lists the stations of the new area. The running charge, the
// requests sent to the stations and the stations' availability follow the operator's updates live (charging.session,
// charging.command) and the car's own reports. Without Leaflet or tiles the page stays usable: the list has every station.
import { panel } from './live.js';
import { tileMap } from './map.js';

const vin = decodeURIComponent(location.pathname.split('/')[2]);
const areaOf = () => document.querySelector('#station-list .station-area')?.dataset.bbox ?? '';
const pageUrl = (bbox) => (bbox ? `${location.pathname}?bbox=${encodeURIComponent(bbox)}` : location.pathname);

const element = document.getElementById('station-map');
const map = tileMap(element);
let markers = null;

// One marker per listed station: green with a free EVSE, grey without; a click brings the station's entry into view.
function draw() {
  if (!map) return [];
  const L = window.L;
  markers?.remove();
  markers = L.layerGroup().addTo(map);
  const points = [];
  for (const item of document.querySelectorAll('#station-list li[data-lat]')) {
    const at = [parseFloat(item.dataset.lat), parseFloat(item.dataset.lon)];
    if (!Number.isFinite(at[0]) || !Number.isFinite(at[1])) continue;
    const free = parseInt(item.dataset.available, 10) > 0;
    L.circleMarker(at, { radius: 8, weight: 2, color: free ? '#1a6b2f' : '#6b6b6b', fillOpacity: 0.6, className: free ? 'station-marker free' : 'station-marker' })
      .bindTooltip(item.dataset.name)
      .on('click', () => { item.scrollIntoView({ block: 'nearest' }); item.querySelector('button')?.focus({ preventScroll: true }); })
      .addTo(markers);
    points.push(at);
  }
  return points;
}

let refreshList = panel(null, pageUrl(areaOf()), ['station-list', 'charging-live', 'charging-commands']);
if (map) {
  const points = draw();
  const [west, south, east, north] = areaOf().split(',').map(Number);
  if (points.length > 0) map.fitBounds(points, { maxZoom: 15, padding: [20, 20], animate: false });
  else if (Number.isFinite(south)) map.fitBounds([[south, west], [north, east]], { animate: false });
  // Only the driver's moves list another area (the first view above is the list's own).
  map.on('moveend', async () => {
    const bbox = map.getBounds().toBBoxString();
    refreshList = panel(null, pageUrl(bbox), ['station-list', 'charging-live', 'charging-commands']);
    await refreshList();
    history.replaceState(null, '', pageUrl(areaOf()));
    draw();
  });
}

const refresh = async () => { await refreshList(); draw(); };
const source = new EventSource('/portal/events');
source.addEventListener('ready', () => refresh());
source.addEventListener('charging.session', () => refresh());
source.addEventListener('charging.command', () => refresh());
source.addEventListener('vehicle.status', (e) => { if (JSON.parse(e.data).vin === vin) refresh(); });
