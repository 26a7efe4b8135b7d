// Trip Control: the statistics follow the car live (a fresh copy of the page's panel whenever the car sent new ones).
import { follow, panel } from './live.js';

const vin = decodeURIComponent(location.pathname.split('/')[2]);
const refresh = panel(null, `${location.pathname}?handler=Panel`, ['trips-panel']);

const source = follow(vin, async (type) => {
  if (type === 'ready' || type === 'vehicle.privacy') await refresh();
});
source.addEventListener('vehicle.trips', async (e) => {
  if (JSON.parse(e.data).vin === vin) await refresh();
});
