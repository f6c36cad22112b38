// Charts of a series from the page's own JSON (the Analytics API's numbers): [data-chart=types] draws events per
// bucket by type, [data-chart=automated] opens and clicks by people against machines; each fills its table too.
(function () {
  'use strict';

  function draw(element, points) {
    const zone = element.dataset.zone || undefined;
    const format = new Intl.DateTimeFormat(undefined, { dateStyle: 'short', timeStyle: 'short', timeZone: zone });
    const buckets = Array.from(new Set(points.map(p => p.bucket))).sort();
    const labels = buckets.map(b => format.format(new Date(b)));
    const at = new Map(buckets.map((b, i) => [b, i]));
    let series;
    if (element.dataset.chart === 'automated') {
      const lines = { 'human opens': [], 'machine opens': [], 'human clicks': [], 'bot clicks': [] };
      Object.values(lines).forEach(values => buckets.forEach(() => values.push(0)));
      points.forEach(p => {
        const i = at.get(p.bucket);
        if (p.event_type === 'email.open') {
          lines['human opens'][i] += p.event_count - p.automated_count;
          lines['machine opens'][i] += p.automated_count;
        } else if (p.event_type === 'email.click') {
          lines['human clicks'][i] += p.event_count - p.automated_count;
          lines['bot clicks'][i] += p.automated_count;
        }
      });
      series = Object.entries(lines).map(([name, data]) => ({ name: name, type: 'bar', stack: name.endsWith('opens') ? 'opens' : 'clicks', data: data }));
    } else {
      const types = Array.from(new Set(points.map(p => p.event_type))).sort();
      series = types.map(type => {
        const data = buckets.map(() => 0);
        points.filter(p => p.event_type === type).forEach(p => { data[at.get(p.bucket)] = p.event_count; });
        return { name: type, type: 'bar', stack: 'events', data: data };
      });
    }
    // on a time axis, so that hours without events keep their place
    const plotted = series.map(s => Object.assign({}, s, { data: s.data.map((value, i) => [buckets[i], value]), barMaxWidth: 24 }));
    MailPulseCharts.chart(element).draw({
      tooltip: { trigger: 'axis' },
      legend: { type: 'scroll', bottom: 0 },
      grid: { left: 48, right: 8, top: 8, bottom: 48 },
      xAxis: { type: 'time', axisLabel: { formatter: value => format.format(new Date(value)), hideOverlap: true } },
      yAxis: { type: 'value', minInterval: 1 },
      series: plotted
    });
    element.dataset.total = String(series.reduce((sum, s) => sum + s.data.reduce((a, b) => a + b, 0), 0));
    MailPulseCharts.table(element.dataset.table, ['Bucket'].concat(series.map(s => s.name)), labels.map((label, i) => [label].concat(series.map(s => s.data[i]))));
  }

  document.querySelectorAll('[data-chart]').forEach(element => {
    fetch(element.dataset.src, { headers: { Accept: 'application/json' } })
      .then(answer => answer.json())
      .then(series => draw(element, series.items));
  });
}());
