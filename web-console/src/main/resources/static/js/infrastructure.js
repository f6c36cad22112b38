// VPS health over time: the CPU use each host reported, one line per host, from the page's latest reports.
(function () {
  'use strict';
  const element = document.getElementById('health');
  if (!element) {
    return;
  }
  const zone = element.dataset.zone || undefined;
  const format = new Intl.DateTimeFormat(undefined, { dateStyle: 'short', timeStyle: 'short', timeZone: zone });
  fetch(element.dataset.src, { headers: { Accept: 'application/json' } })
    .then(answer => answer.json())
    .then(events => {
      const hosts = new Map();
      events.items.filter(e => e.event_type === 'infrastructure.vps_health' && typeof e.attributes.cpu_pct === 'number')
        .forEach(e => {
          const host = String(e.attributes.host);
          if (!hosts.has(host)) {
            hosts.set(host, []);
          }
          hosts.get(host).push([e.occurred_at, e.attributes.cpu_pct]);
        });
      const series = Array.from(hosts.keys()).sort().map(host => ({
        name: host, type: 'line', showSymbol: false, data: hosts.get(host).sort((a, b) => a[0] < b[0] ? -1 : 1)
      }));
      MailPulseCharts.chart(element).draw({
        tooltip: { trigger: 'axis', valueFormatter: value => value + '%' },
        legend: { type: 'scroll', bottom: 0 },
        grid: { left: 40, right: 8, top: 8, bottom: 48 },
        xAxis: { type: 'time', axisLabel: { formatter: value => format.format(new Date(value)), hideOverlap: true } },
        yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
        series: series
      });
      element.dataset.total = String(series.reduce((sum, s) => sum + s.data.length, 0));
    });
}());
