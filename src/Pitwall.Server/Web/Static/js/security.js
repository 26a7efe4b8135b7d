// Car Security page: the theft cases follow the car live (a fresh copy of the page's panel when a Car Security
// notification arrives, e.g. the security centre closed a case).
import { follow, notice } from './live.js';

const vin = decodeURIComponent(location.pathname.split('/')[2]);
const element = document.getElementById('cases-panel');

async function refresh() {
  const response = await fetch(`${location.pathname}?handler=Panels`, { headers: { Accept: 'text/html' }, credentials: 'same-origin' });
  if (!response.ok) return;
  const fresh = new DOMParser().parseFromString(await response.text(), 'text/html').getElementById('cases-panel');
  if (fresh && fresh.innerHTML !== element.innerHTML) element.innerHTML = fresh.innerHTML;
}

follow(vin, async (type, data) => {
  if (type === 'vehicle.notification' && data.type?.startsWith('theft.')) {
    notice(data.message);
    await refresh();
  }
  if (type === 'ready') await refresh();
});
