// Shared by the security centre's console and the authority's view: the role's live feed (Server-Sent Events, signed in
// by the portal cookie) and server-rendered panels re-read from the page itself when something changed.

/**
 * Opens the feed at `url` and calls handlers[type](data) for its events ('ready' whenever it (re)connects). The element
 * #feed-state says whether the page is live, in the page's words (its data-live and data-reconnecting).
 */
export function feed(url, handlers) {
  const source = new EventSource(url);
  const state = document.getElementById('feed-state');
  const show = (live) => {
    if (!state) return;
    state.dataset.state = live ? 'live' : 'reconnecting';
    state.textContent = live ? (state.dataset.live ?? 'live') : (state.dataset.reconnecting ?? 'reconnecting…');
    state.className = `badge ${live ? 'on' : 'off'}`;
  };
  source.addEventListener('error', () => show(false));
  for (const [type, handle] of Object.entries(handlers)) {
    source.addEventListener(type, (e) => {
      if (type === 'ready') show(true);
      handle(JSON.parse(e.data || '{}'));
    });
  }
  return source;
}

/**
 * Returns refresh(): fetches `url` (the page with ?handler=Panels) and replaces the elements with these ids by their fresh
 * versions; at most one request at a time, a change during one leads to one more. `after(fresh)` runs after each.
 */
export function panels(url, ids, after) {
  let running = null;
  let again = false;
  const load = async () => {
    const response = await fetch(url, { headers: { Accept: 'text/html' }, credentials: 'same-origin' });
    if (!response.ok) return;
    const fresh = new DOMParser().parseFromString(await response.text(), 'text/html');
    for (const id of ids) {
      const from = fresh.getElementById(id);
      const to = document.getElementById(id);
      if (from && to && from.innerHTML !== to.innerHTML) to.innerHTML = from.innerHTML;
    }
    after?.(fresh);
  };
  return async function refresh() {
    if (running) { again = true; return running; }
    running = load().catch(() => {}).finally(() => { running = null; });
    await running;
    if (again) { again = false; await refresh(); }
  };
}

/** Calls fn at most once per `ms`, the last call of a burst included. */
export function throttle(fn, ms) {
  let timer = null;
  let last = 0;
  return () => {
    const wait = last + ms - Date.now();
    if (timer) return;
    if (wait <= 0) { last = Date.now(); fn(); return; }
    timer = setTimeout(() => { timer = null; last = Date.now(); fn(); }, wait);
  };
}

/** A text of the page (a data attribute, in the page's language) with {0} filled in; `fallback` when the page has none. */
export function text(template, value, fallback) {
  return (template ?? fallback).replace('{0}', value);
}

/** Announces a change in the page's notice area (read out by screen readers). */
export function announce(text) {
  const area = document.getElementById('live-notices');
  if (area) area.textContent = text;
}
