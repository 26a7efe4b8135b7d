// Trip Control: the statistics follow the car live (a fresh copy of the page's panel whenever the car sent new ones).
import { follow } from './live.js';

const vin = decodeURIComponent(location.pathname.split('/')[2]);
const element = document.getElementById('trips-panel');

async function refresh() {
  const response = await fetch(`${location.pathname}?handler=Panel`, { headers: { Accept: 'text/html' }, credentials: 'same-origin' });
  if (!response.ok) return;
  const fresh = new DOMParser().parseFromString(await response.text(), 'text/html').getElementById('trips-panel');
  if (fresh) element.innerHTML = fresh.innerHTML;
}

const source = follow(vin, async (type) => {
  if (type === 'ready' || type === 'vehicle.privacy') await refresh();
});
source.addEventListener('vehicle.trips', async (e) => {
  if (JSON.parse(e.data).vin === vin) await refresh();
});
