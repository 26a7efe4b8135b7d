// Tells the server the browser's time zone (a cookie read per request), so that pages show times where the user is.
const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
if (zone && !document.cookie.split('; ').includes(`pitwall-tz=${encodeURIComponent(zone)}`)) {
  document.cookie = `pitwall-tz=${encodeURIComponent(zone)}; path=/; max-age=31536000; samesite=lax`;
}
