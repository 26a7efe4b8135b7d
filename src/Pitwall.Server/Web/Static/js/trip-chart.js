// The trip history's chart: the battery's charge level as a line and each drive's consumption as a point, over time, drawn
// with uPlot (from npm, loaded by the page as a classic script). The data comes from the page (#trip-chart-data), the axis
// labels in the page's language from the element's data attributes, times in the account's time zone (data-zone).

const lang = document.documentElement.lang || undefined;
const oneDecimal = new Intl.NumberFormat(lang, { maximumFractionDigits: 1 });

/** Draws the chart into #trip-chart (replacing an earlier one); returns the uPlot instance, or null without data or uPlot. */
export function drawTripChart() {
  const element = document.getElementById('trip-chart');
  const source = document.getElementById('trip-chart-data');
  const uPlot = window.uPlot;
  if (!element || !source || !uPlot) return null;
  const { charge, consumption } = JSON.parse(source.textContent);
  element.replaceChildren();
  if (charge.length === 0 && consumption.length === 0) return null;

  // uPlot wants one time axis for every series: the union of both, each series null where it has no value.
  const times = [...new Set([...charge, ...consumption].map(([t]) => t))].sort((a, b) => a - b);
  const at = (points) => { const byTime = new Map(points); return times.map((t) => byTime.get(t) ?? null); };
  const zone = element.dataset.zone;
  const width = () => Math.max(260, element.clientWidth || 600);

  const plot = new uPlot({
    width: width(),
    height: 260,
    tzDate: (seconds) => (zone ? uPlot.tzDate(new Date(seconds * 1000), zone) : new Date(seconds * 1000)),
    series: [
      {},
      { label: element.dataset.chargeLabel, scale: '%', stroke: '#1f6fb2', width: 2, spanGaps: true,
        value: (u, v) => (v == null ? '–' : oneDecimal.format(v)) },
      { label: element.dataset.consumptionLabel, scale: 'consumption', stroke: '#c0392b', paths: () => null,
        points: { show: true, size: 8, fill: '#c0392b' }, value: (u, v) => (v == null ? '–' : oneDecimal.format(v)) },
    ],
    scales: { '%': { range: [0, 100] } },
    axes: [
      {},
      { scale: '%', values: (u, ticks) => ticks.map((v) => oneDecimal.format(v)) },
      { scale: 'consumption', side: 1, grid: { show: false }, values: (u, ticks) => ticks.map((v) => oneDecimal.format(v)) },
    ],
  }, [times, at(charge), at(consumption)], element);

  new ResizeObserver(() => plot.setSize({ width: width(), height: 260 })).observe(element.parentElement);
  return plot;
}
