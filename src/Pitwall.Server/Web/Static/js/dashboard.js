// A vehicle's page: status and commands follow the car live; unlocking proves the PIN without sending it.
import { follow, panel, notice } from './live.js';
import { showMap } from './map.js';

const vin = decodeURIComponent(location.pathname.split('/')[2]);
const base = `/vehicles/${encodeURIComponent(vin)}`;
const refreshStatus = panel(document.getElementById('status-panel'), `${base}?handler=StatusPanel`);
const refreshCommands = panel(document.getElementById('commands-panel'), `${base}?handler=CommandsPanel`);
const map = showMap(document.getElementById('map'));

function place() {
  const signals = document.getElementById('signals');
  if (signals) map.place(parseFloat(signals.dataset.lat), parseFloat(signals.dataset.lon));
}
place();

follow(vin, async (type, data) => {
  if (type === 'vehicle.notification') notice(data.message);
  if (type === 'ready' || type === 'vehicle.status' || type === 'vehicle.connection' || type === 'vehicle.privacy') {
    await refreshStatus();
    place();
  }
  if (type === 'ready' || type === 'vehicle.command') await refreshCommands();
});

// Unlock: fetch a one-time challenge, send HMAC-SHA256(key = SHA-256(salt + "\n" + PIN), challenge), never the PIN.
const form = document.getElementById('unlock-form');
form?.addEventListener('submit', async (event) => {
  if (document.getElementById('unlock-proof').value) return; // proof made: let the form go
  event.preventDefault();
  const pinField = document.getElementById('unlock-pin');
  const pin = pinField.value;
  pinField.value = '';
  const token = form.querySelector('input[name="__RequestVerificationToken"]').value;
  const response = await fetch(`${base}?handler=PinChallenge`, {
    method: 'POST', headers: { RequestVerificationToken: token }, credentials: 'same-origin',
  });
  const body = await response.json();
  if (!response.ok) { notice(body.error); return; }
  const encoder = new TextEncoder();
  const keyBytes = await crypto.subtle.digest('SHA-256', encoder.encode(`${body.salt}\n${pin}`));
  const key = await crypto.subtle.importKey('raw', keyBytes, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(body.challenge)));
  document.getElementById('unlock-challenge').value = body.challenge;
  document.getElementById('unlock-proof').value = btoa(String.fromCharCode(...mac));
  form.requestSubmit();
});
