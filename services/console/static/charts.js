// Draws the page's line charts with uPlot from the JSON the server embedded beside each one.
(() => {
  for (const script of document.querySelectorAll('script[data-chart]')) {
    const el = document.getElementById(script.dataset.chart);
    const { labels, values } = JSON.parse(script.textContent);
    const xs = labels.map((_, i) => i);
    const opts = {
      width: Math.min(800, el.clientWidth || 800),
      height: 220,
      scales: { x: { time: false }, y: { range: [0, 100] } },
      axes: [{ values: (_, ticks) => ticks.map((i) => labels[i] ?? '') }, {}],
      series: [{}, { label: document.getElementById(`${el.id}-cap`).textContent, stroke: '#0b3d2e', width: 2, spanGaps: true, points: { show: true } }],
    };
    new uPlot(opts, [xs, values], el);
  }
})();
