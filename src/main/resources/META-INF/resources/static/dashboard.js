// Draws a campaign's dashboard charts from the dashboard API, with Chart.js served by the app.
(() => {
  const root = document.querySelector('[data-dashboard]');
  if (!root || !window.Chart) {
    return;
  }
  const css = getComputedStyle(document.documentElement);
  const color = (name, fallback) => (css.getPropertyValue(name) || fallback).trim();
  const accent = color('--accent', '#3451b2');
  const ok = color('--ok', '#1a7f37');
  const warn = color('--warn', '#8a5a00');
  const muted = color('--muted', '#667085');
  Chart.defaults.color = muted;
  Chart.defaults.font.family = css.getPropertyValue('--font') || 'system-ui';
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.plugins.legend.labels.boxWidth = 12;

  const draw = (id, config) => {
    const canvas = document.getElementById(id);
    if (canvas) {
      new Chart(canvas, config);
    }
  };
  // Long flag labels would squeeze the bars out; the table on the data page has them in full.
  const short = text => (text.length > 32 ? text.slice(0, 31) + '…' : text);
  const counts = { beginAtZero: true, ticks: { precision: 0 } };
  const percent = { min: 0, max: 1, ticks: { callback: v => Math.round(v * 100) + '%' } };

  fetch(root.dataset.dashboard, { headers: { Accept: 'application/json' } })
    .then(response => {
      if (!response.ok) {
        throw new Error('HTTP ' + response.status);
      }
      return response.json();
    })
    .then(d => {
      const p = d.progress;
      draw('chart-status', {
        type: 'doughnut',
        data: {
          labels: ['Open', 'In progress', 'Complete', 'Gold'],
          datasets: [{ data: [p.open, p.inProgress, p.complete, p.gold], backgroundColor: ['#d0d5dd', accent, ok, warn] }]
        },
        options: { plugins: { legend: { position: 'right' } } }
      });
      draw('chart-days', {
        type: 'bar',
        data: {
          labels: d.perDay.map(x => x.day.slice(5)),
          datasets: [
            { label: 'Submitted', data: d.perDay.map(x => x.submitted), backgroundColor: accent, stack: 'tasks' },
            { label: 'Skipped', data: d.perDay.map(x => x.skipped), backgroundColor: warn, stack: 'tasks' }
          ]
        },
        options: { scales: { y: counts, x: { stacked: true } } }
      });
      draw('chart-hours', {
        type: 'line',
        data: {
          labels: d.perHour.map(x => new Date(x.hour).toLocaleString(undefined, { day: 'numeric', hour: 'numeric' })),
          datasets: [{ label: 'Submitted', data: d.perHour.map(x => x.submitted), borderColor: accent, backgroundColor: accent, tension: 0.25, pointRadius: 2 }]
        },
        options: { scales: { y: counts }, plugins: { legend: { display: false } } }
      });
      draw('chart-annotators', {
        type: 'bar',
        data: {
          labels: d.annotators.map(a => a.annotator),
          datasets: [
            { label: 'Submitted', data: d.annotators.map(a => a.submitted), backgroundColor: accent, stack: 'tasks' },
            { label: 'Skipped', data: d.annotators.map(a => a.skipped), backgroundColor: warn, stack: 'tasks' }
          ]
        },
        options: { indexAxis: 'y', scales: { x: counts, y: { stacked: true } } }
      });
      draw('chart-ratings', {
        type: 'bar',
        data: { labels: d.ratings.map(b => b.label), datasets: [{ label: 'Responses', data: d.ratings.map(b => b.count), backgroundColor: accent }] },
        options: { scales: { y: counts }, plugins: { legend: { display: false } } }
      });
      draw('chart-flags', {
        type: 'bar',
        data: { labels: d.flags.map(b => short(b.label)), datasets: [{ label: 'Share of rated responses', data: d.flags.map(b => b.share), backgroundColor: warn }] },
        options: { indexAxis: 'y', scales: { x: percent }, plugins: { legend: { display: false } } }
      });
      draw('chart-model', {
        type: 'line',
        data: {
          labels: d.rewardModel.map(m => 'v' + m.version + (m.promoted ? ' ★' : '')),
          datasets: [
            { label: 'Held-out accuracy', data: d.rewardModel.map(m => m.heldOutAccuracy), borderColor: accent, backgroundColor: accent },
            { label: 'Serving version on the new batch, before training', data: d.rewardModel.map(m => m.newBatchAccuracy), borderColor: warn, backgroundColor: warn, borderDash: [5, 4], spanGaps: true }
          ]
        },
        options: { scales: { y: percent } }
      });
      root.dataset.chartsDrawn = 'true';
    })
    .catch(() => {
      const note = document.querySelector('[data-chart-error]');
      if (note) {
        note.hidden = false;
      }
    });
})();
