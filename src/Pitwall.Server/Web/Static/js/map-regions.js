// Map updates page: the area each of the car's map regions covers, as a rectangle on a Leaflet map (Leaflet from npm, loaded by
// the page as a classic script). The tiles of a built region come from Pitwall's own map data, so the picture needs no internet.
// Without Leaflet the page still lists the regions as text.
import { tileMap } from './map.js';

const element = document.getElementById('region-map');
const map = tileMap(element);
const L = window.L;

if (map) {
  const bounds = [];
  for (const region of document.querySelectorAll('dl.map-region[data-extent]')) {
    const [west, south, east, north] = region.dataset.extent.split(',').map(Number);
    if (![west, south, east, north].every(Number.isFinite)) continue;
    const rectangle = L.rectangle([[south, west], [north, east]], { className: 'map-region-extent', color: '#1f4e8c', weight: 2, fillOpacity: 0.08 })
      .bindTooltip(region.dataset.name)
      .addTo(map);
    bounds.push(rectangle.getBounds());
  }
  if (bounds.length > 0) map.fitBounds(bounds.reduce((all, b) => all.extend(b)), { padding: [12, 12] });
}
