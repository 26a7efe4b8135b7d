// Location alarm page: the car's areas as circles on a Leaflet map (Leaflet from npm, loaded by the page as a classic
// script); a click on the map sets the centre of a new area and previews its circle. Without Leaflet or tiles the form
// still works with typed coordinates. The list follows the car: it is re-fetched while an area waits for the car's
// confirmation and when the car crosses an area.
import { follow, panel, notice } from './live.js';
import { tileMap } from './map.js';

const vin = decodeURIComponent(location.pathname.split('/')[2]);
const base = `/vehicles/${encodeURIComponent(vin)}/geofences`;
const list = document.getElementById('geofence-list');
const mapElement = document.getElementById('geofence-map');
const form = document.getElementById('geofence-form');
const field = (name) => form?.querySelector(`[name="${name}"]`);
const L = window.L;

const map = tileMap(mapElement);
const areas = map ? L.layerGroup().addTo(map) : null;
let preview = null;

if (map && form) {
  map.on('click', (event) => {
    field('Latitude').value = event.latlng.lat.toFixed(6);
    field('Longitude').value = event.latlng.lng.toFixed(6);
    drawPreview();
    field('Name').focus();
  });
}

/** The areas in the list, as circles: solid when the car confirmed them, dashed while it has not; the exit radius dotted. */
function drawAreas(fit) {
  if (!areas) return;
  areas.clearLayers();
  const bounds = [];
  for (const row of list.querySelectorAll('[data-geofence]')) {
    const centre = [parseFloat(row.dataset.lat), parseFloat(row.dataset.lon)];
    const confirmed = row.dataset.confirmed === 'true';
    const circle = L.circle(centre, {
      radius: parseFloat(row.dataset.radius), className: 'geofence-circle', color: confirmed ? '#1f6f43' : '#b26b00',
      dashArray: confirmed ? null : '6 4', weight: 2,
    }).bindTooltip(row.dataset.name);
    L.circle(centre, { radius: parseFloat(row.dataset.exit), className: 'geofence-exit', color: '#6b7785', weight: 1, dashArray: '2 6', fill: false, interactive: false })
      .addTo(areas);
    circle.addTo(areas);
    bounds.push(circle.getBounds());
  }
  if (fit && bounds.length > 0) map.fitBounds(bounds.reduce((all, b) => all.extend(b)), { maxZoom: 15 });
}

/** The circle of the area being added, from the form's centre and radius. */
function drawPreview() {
  if (!map || !form) return;
  const lat = parseFloat(field('Latitude').value);
  const lon = parseFloat(field('Longitude').value);
  const radius = parseFloat(field('RadiusMetres').value);
  if (!Number.isFinite(lat) || !Number.isFinite(lon) || !Number.isFinite(radius) || radius <= 0) {
    preview?.remove();
    preview = null;
    return;
  }
  if (preview) {
    preview.setLatLng([lat, lon]).setRadius(radius);
  } else {
    preview = L.circle([lat, lon], { radius, className: 'geofence-preview', color: '#1d5fa8', dashArray: '4 4', interactive: false }).addTo(map);
  }
}

for (const name of ['Latitude', 'Longitude', 'RadiusMetres']) field(name)?.addEventListener('input', drawPreview);

const refreshList = panel(list, `${base}?handler=List`);
async function refresh() {
  await refreshList();
  drawAreas(false);
}

drawAreas(true);
drawPreview();

// An area waiting for the car turns solid when the car has applied it (vehicle.frames_applied).
const source = follow(vin, async (type, data) => {
  if (type === 'vehicle.notification') notice(data.message);
  const waiting = type === 'vehicle.frames_applied' && list.querySelector('[data-confirmed="false"]');
  if (type === 'ready' || type === 'vehicle.notification' || waiting) await refresh();
});
source.addEventListener('vehicle.geofence', async (event) => {
  if (JSON.parse(event.data).vin === vin) await refresh();
});
