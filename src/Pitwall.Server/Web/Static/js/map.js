// The car's position on a Leaflet map (Leaflet from npm, loaded by the page as a classic script). Without Leaflet or
// without tiles the page stays usable: the coordinates are also shown as text.

/** A Leaflet map with the server's tiles in the element (data-tiles, data-attribution); null without Leaflet or element. */
export function tileMap(element) {
  const L = window.L;
  if (!L || !element) return null;
  const map = L.map(element).setView([48.7758, 9.1829], 12);
  // The tiles come through the server's tile proxy (data-tiles = /tiles/{z}/{x}/{y}.png), so the map provider sees the
  // server and the tile coordinates, never the browser (P4). No Referer: the page's address holds the VIN.
  L.tileLayer(element.dataset.tiles, { attribution: element.dataset.attribution, maxZoom: 19, referrerPolicy: 'no-referrer' }).addTo(map);
  return map;
}

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
      } else {
        marker = L.marker([lat, lon], { keyboard: false, title: element.getAttribute('aria-label') }).addTo(map);
        map.setView([lat, lon], 15);
      }
    },
  };
}
