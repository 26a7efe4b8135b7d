// Car Security page: the theft cases follow the car live (a fresh copy of the page's panel when a Car Security
// notification arrives, e.g. the security centre closed a case).
import { follow, notice } from './live.js';
import { panels } from './console.js';

const vin = decodeURIComponent(location.pathname.split('/')[2]);
const refresh = panels(`${location.pathname}?handler=Panels`, ['cases-panel']);

follow(vin, async (type, data) => {
  if (type === 'vehicle.notification' && data.type?.startsWith('theft.')) {
    notice(data.message);
    await refresh();
  }
  if (type === 'ready') await refresh();
});
