// A theft case, for the security centre and for the authority: the track on a Leaflet map (Leaflet from npm, loaded by
// the page as a classic script) with each position the car sends appended live from the feed, and the server-rendered
// panels (summary, timeline, contact log) re-read when the case changes. Without Leaflet or tiles the page stays usable:
// every position is in the timeline as text.
import { feed, panels, throttle, announce, text } from './console.js';
import { tileMap } from './map.js';

const root = document.getElementById('case');
const caseId = root.dataset.case;
const mapElement = document.getElementById('case-map');
const L = window.L;

const seen = new Set();
let map = null;
let line = null;
let start = null;
let end = null;

function readTrack(doc) {
  try {
    return JSON.parse(doc.querySelector('#track-data script')?.textContent || '[]');
  } catch {
    return [];
  }
}

function showCount() {
  mapElement.dataset.points = String(seen.size);
  const count = document.getElementById('track-count');
  if (count) count.textContent = (count.dataset.template ?? "{0} positions").replace("{0}", seen.size);
}

/** Draws the whole track anew (page load, and after each refresh, which brings every position in the car's order). */
function draw(points, fit) {
  seen.clear();
  for (const [, , seq] of points) seen.add(seq);
  showCount();
  if (!map) return;
  const at = points.map(([lat, lon]) => [lat, lon]);
  line.setLatLngs(at);
  if (at.length > 0) {
    start.setLatLng(at[0]).addTo(map);
    end.setLatLng(at[at.length - 1]).addTo(map);
    if (fit) map.fitBounds(at, { maxZoom: 16, padding: [24, 24] });
  }
}

/** One new position from the feed, at the end of the line. */
function append(point) {
  if (!point.position || seen.has(point.seq)) return;
  seen.add(point.seq);
  showCount();
  const { latitude, longitude } = point.position;
  const last = document.getElementById('last-position');
  if (last) last.textContent = `${latitude.toFixed(5)}, ${longitude.toFixed(5)}`;
  if (!map) return;
  line.addLatLng([latitude, longitude]);
  end.setLatLng([latitude, longitude]).addTo(map);
  if (line.getLatLngs().length === 1) start.setLatLng([latitude, longitude]).addTo(map);
  if (!map.getBounds().contains([latitude, longitude])) map.panTo([latitude, longitude]);
}

map = tileMap(mapElement);
if (map) {
  line = L.polyline([], { color: '#a3201d', weight: 4, className: 'track-line' }).addTo(map);
  start = L.circleMarker([0, 0], { radius: 6, color: '#4a5563', className: 'track-start' }).bindTooltip(root.dataset.firstPosition ?? 'First position');
  end = L.circleMarker([0, 0], { radius: 8, color: '#a3201d', fillOpacity: 0.9, className: 'track-end' }).bindTooltip(root.dataset.latestPosition ?? 'Latest position');
}
draw(readTrack(document), true);

const refresh = panels(root.dataset.panels, root.dataset.refresh.split(' '), (fresh) => draw(readTrack(fresh), false));
const soon = throttle(refresh, 1000);

feed(root.dataset.feed, {
  ready: refresh,
  'soc.tracking': (e) => {
    if (e.caseId !== caseId) return;
    append(e.point);
    soon();
  },
  'soc.case_updated': (k) => {
    if (k.id !== caseId) return;
    // data-state-open, data-state-handed-over, data-state-closed: the states in the page's words.
    const state = root.dataset[`state${k.state.split('_').map((w) => w[0].toUpperCase() + w.slice(1)).join('')}`];
    announce(text(root.dataset.changed, state ?? k.state.replace('_', ' '), 'The case changed: {0}'));
    refresh();
  },
});
