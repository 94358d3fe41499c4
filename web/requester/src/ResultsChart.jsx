import { useEffect, useRef, useState } from 'react';

let chartModule = null;
const loadChart = () => (chartModule ||= import('./chartSetup.js').then((m) => m.default));

const HOUR = 3600 * 1000;
const MAX_BUCKETS = 24 * 14;

// [{hour, count}] -> hourly buckets with the empty hours filled in, plus the running total.
export function hourlySeries(points) {
  const sorted = [...(points || [])].map((p) => ({ t: Date.parse(p.hour), count: p.count }))
    .filter((p) => Number.isFinite(p.t)).sort((a, b) => a.t - b.t);
  if (!sorted.length) return { labels: [], counts: [], totals: [] };
  const byHour = new Map(sorted.map((p) => [p.t, p.count]));
  const first = sorted[0].t;
  const last = sorted[sorted.length - 1].t;
  const hours = [];
  if ((last - first) / HOUR <= MAX_BUCKETS) {
    for (let t = first; t <= last; t += HOUR) hours.push(t);
  } else {
    sorted.forEach((p) => hours.push(p.t)); // long jobs: only the hours with results
  }
  let total = 0;
  const counts = hours.map((t) => byHour.get(t) || 0);
  const totals = counts.map((c) => (total += c));
  const fmt = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
  return { labels: hours.map((t) => fmt.format(new Date(t))), counts, totals };
}

export default function ResultsChart({ points }) {
  const canvasRef = useRef(null);
  const chartRef = useRef(null);
  const series = hourlySeries(points);

  const [loadError, setLoadError] = useState('');

  useEffect(() => {
    if (!canvasRef.current || !series.labels.length) {
      chartRef.current?.destroy(); chartRef.current = null;
      return undefined;
    }
    let alive = true;
    loadChart().then((Chart) => { if (alive) draw(Chart); }, () => setLoadError('The chart could not be loaded.'));
    return () => { alive = false; };
  }, [JSON.stringify(points)]); // eslint-disable-line react-hooks/exhaustive-deps

  function draw(Chart) {
    const data = {
      labels: series.labels,
      datasets: [
        { type: 'bar', label: 'Results per hour', data: series.counts, backgroundColor: '#2563eb', yAxisID: 'y', maxBarThickness: 40 },
        { type: 'line', label: 'Total results', data: series.totals, borderColor: '#b45309', backgroundColor: '#b45309', yAxisID: 'y1', tension: 0.2, pointRadius: 2 },
      ],
    };
    if (chartRef.current) {
      chartRef.current.data = data;
      chartRef.current.update('none');
    } else {
      chartRef.current = new Chart(canvasRef.current, {
        data,
        options: {
          animation: false, responsive: true, maintainAspectRatio: false,
          interaction: { mode: 'index', intersect: false },
          scales: {
            y: { beginAtZero: true, title: { display: true, text: 'per hour' }, ticks: { precision: 0 } },
            y1: { beginAtZero: true, position: 'right', grid: { drawOnChartArea: false }, title: { display: true, text: 'total' }, ticks: { precision: 0 } },
          },
        },
      });
    }
  }

  useEffect(() => () => { chartRef.current?.destroy(); chartRef.current = null; }, []);

  if (!series.labels.length) return <p className="muted small">No results yet: the chart fills in as taskers submit.</p>;
  const total = series.totals[series.totals.length - 1];
  return (
    <figure className="chart">
      <div className="chart-box">
        {loadError && <p className="warn small">{loadError}</p>}
        <canvas ref={canvasRef} role="img" aria-label={`Results per hour: ${total} results over ${series.labels.length} hours`} />
      </div>
      <figcaption className="sr-only">
        {series.labels.map((l, i) => `${l}: ${series.counts[i]}`).join('; ')}
      </figcaption>
    </figure>
  );
}
