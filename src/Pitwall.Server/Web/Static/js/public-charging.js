// Public charging: the running charge follows the operator's session updates (charging.session) and the car's own reports live.
import { panel } from './live.js';

const vin = decodeURIComponent(location.pathname.split('/')[2]);
const refresh = panel(null, location.pathname, ['charging-live']);
const source = new EventSource('/portal/events');
source.addEventListener('ready', () => refresh());
source.addEventListener('charging.session', () => refresh());
source.addEventListener('vehicle.status', (e) => { if (JSON.parse(e.data).vin === vin) refresh(); });
