// The car's position on a Leaflet map (Leaflet from npm, loaded by the page as a classic script). Without Leaflet or
// without tiles the page stays usable: the coordinates are also shown as text.

/** A Leaflet map with the server's tiles in the element (data-tiles, data-attribution); null without Leaflet or element. */
export function tileMap(element) {
  const L = window.L;
  if (!L || !element) return null;
  const map = L.map(element).setView([48.7758, 9.1829], 12);
  // The tiles come through the server's tile proxy (data-tiles = /tiles/{z}/{x}/{y}.png), so the map provider sees the
  // server and the tile coordinates, never the browser (P4). No Referer: the page's address holds the VIN.
  const tiles = L.tileLayer(element.dataset.tiles, { attribution: element.dataset.attribution, maxZoom: 19, referrerPolicy: 'no-referrer' }).addTo(map);
  noteMissingTiles(element, map, tiles);
  return map;
}

// No internet or no tile provider: instead of a silent grey box the map says so and gives its centre as text. Markers and
// tracks are drawn without tiles, so they stay usable. The texts come from the layout (#map-texts), in the page's language.
function noteMissingTiles(element, map, tiles) {
  const texts = document.getElementById('map-texts')?.dataset ?? {};
  const note = document.createElement('p');
  note.className = 'map-unavailable';
  note.setAttribute('role', 'status');
  note.hidden = true;
  element.append(note);
  window.L.DomEvent.disableClickPropagation(note);
  const degrees = (value) => value.toLocaleString(document.documentElement.lang || undefined, { minimumFractionDigits: 5, maximumFractionDigits: 5 });
  const write = () => {
    const { lat, lng } = map.getCenter();
    note.textContent = `${texts.unavailable ?? 'Map unavailable.'} ${texts.centre ?? 'Centre'}: ${degrees(lat)}, ${degrees(lng)}`;
  };
  tiles.on('tileload', () => { note.hidden = true; });
  tiles.on('tileerror', () => { write(); note.hidden = false; });
  map.on('moveend', () => { if (!note.hidden) write(); });
}

/** The map of one moving thing: the first position centres it, later ones keep it in view (the map follows the car). */
export function showMap(element) {
  const map = tileMap(element);
  if (!map) return { place() {} };
  const L = window.L;
  let marker = null;
  return {
    place(lat, lon) {
      if (!Number.isFinite(lat) || !Number.isFinite(lon)) return;
      if (marker) {
        marker.setLatLng([lat, lon]);
        if (!map.getBounds().pad(-0.2).contains([lat, lon])) map.panTo([lat, lon]);
      } else {
        marker = L.marker([lat, lon], { keyboard: false, title: element.getAttribute('aria-label') }).addTo(map);
        map.setView([lat, lon], 15);
      }
    },
  };
}
