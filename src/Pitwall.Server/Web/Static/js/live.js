// Live updates for portal pages: the account's event stream (Server-Sent Events, signed in by the portal cookie),
// filtered to one vehicle, and server-rendered panels re-fetched when something changed.

const types = ['vehicle.status', 'vehicle.command', 'vehicle.connection', 'vehicle.privacy', 'vehicle.notification', 'vehicle.frames_applied'];

/** Calls onEvent(type, data) for each event about `vin`, and onEvent('ready') whenever the stream (re)connects. */
export function follow(vin, onEvent) {
  const source = new EventSource('/portal/events');
  source.addEventListener('ready', () => onEvent('ready', {}));
  for (const type of types) {
    source.addEventListener(type, (e) => {
      const data = JSON.parse(e.data);
      if (data.vin === vin) onEvent(type, data);
    });
  }
  return source;
}

/**
 * Replaces the element's content with a fresh server-rendered panel; at most one request per element at a time. With
 * `ids`, the answer is the whole page instead and each element with one of these ids takes the content of the answer's
 * element with that id (`element` is then not used).
 */
export function panel(element, url, ids = null) {
  let running = null;
  let again = false;
  const load = async () => {
    const response = await fetch(url, { headers: { Accept: 'text/html' }, credentials: 'same-origin' });
    if (!response.ok) return;
    const html = await response.text();
    if (!ids) {
      element.innerHTML = html;
      return;
    }
    const fresh = new DOMParser().parseFromString(html, 'text/html');
    for (const id of ids) {
      const from = fresh.getElementById(id);
      const to = document.getElementById(id);
      if (from && to && from.innerHTML !== to.innerHTML) to.innerHTML = from.innerHTML;
    }
  };
  return async function refresh() {
    if (running) { again = true; return running; }
    running = load().finally(() => { running = null; });
    await running;
    if (again) { again = false; await refresh(); }
  };
}

/** Shows a message in the page's notice area (read out by screen readers). */
export function notice(text) {
  let area = document.getElementById('live-notices');
  if (!area) {
    area = document.createElement('div');
    area.id = 'live-notices';
    area.className = 'notice';
    area.setAttribute('role', 'alert');
    document.getElementById('main').prepend(area);
  }
  area.textContent = text;
}
