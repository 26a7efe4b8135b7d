// Charging and climate: the panels follow the car live; pushes for the driver show as notices.
import { follow, panel, notice } from './live.js';

const vin = decodeURIComponent(location.pathname.split('/')[2]);
const refresh = panel(document.getElementById('charging-panels'), `/vehicles/${encodeURIComponent(vin)}/charging?handler=Panels`);

follow(vin, async (type, data) => {
  if (type === 'vehicle.notification') notice(data.message);
  if (type === 'ready' || type === 'vehicle.status' || type === 'vehicle.command') await refresh();
});
