// Trip Control: the statistics and the trip history follow the car live (a fresh copy of the page's panels whenever the car
// sent new ones); the history's chart is drawn again when its data changed.
import { follow, panel } from './live.js';
import { drawTripChart } from './trip-chart.js';

const vin = decodeURIComponent(location.pathname.split('/')[2]);
const load = panel(null, `${location.pathname}?handler=Panel`, ['trips-panel', 'trip-history-panel']);
let drawn = drawTripChart();

async function refresh() {
  await load();
  if (!drawn || !document.getElementById('trip-chart')?.contains(drawn.root)) {
    drawn?.destroy();
    drawn = drawTripChart();
  }
}

const source = follow(vin, async (type) => {
  if (type === 'ready' || type === 'vehicle.privacy') await refresh();
});
source.addEventListener('vehicle.trips', async (e) => {
  if (JSON.parse(e.data).vin === vin) await refresh();
});
