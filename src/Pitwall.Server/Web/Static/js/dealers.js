// The dealer page: every dealer of the directory list is also a marker on a Leaflet map (Leaflet from npm, loaded by the page
// as a classic script; tiles through the server's proxy); the preferred dealer stands out. Without Leaflet or tiles the page
// stays usable: the list shows the addresses.
import { tileMap } from './map.js';

const element = document.getElementById('dealer-map');
const map = tileMap(element);
if (map) {
  const L = window.L;
  const points = [];
  for (const item of document.querySelectorAll('#dealer-directory li[data-lat]')) {
    const at = [parseFloat(item.dataset.lat), parseFloat(item.dataset.lon)];
    if (!Number.isFinite(at[0]) || !Number.isFinite(at[1])) continue;
    const preferred = item.dataset.preferred === 'true';
    L.circleMarker(at, {
      radius: preferred ? 9 : 7, weight: 2, color: preferred ? '#1a6b2f' : '#0b5cad', className: 'dealer-marker',
    }).bindTooltip(item.dataset.name).addTo(map);
    points.push(at);
  }
  if (points.length > 0) map.fitBounds(points, { maxZoom: 14, padding: [20, 20] });
}
