// The complaint rate of each mailbox provider or domain (complaints ÷ deliveries) as bars, with Gmail's and Yahoo's
// bulk-sender thresholds drawn across them.
(function () {
  'use strict';
  const element = document.getElementById('complaints');
  if (!element) {
    return;
  }
  const target = Number(element.dataset.target);
  const limit = Number(element.dataset.limit);
  fetch(element.dataset.src, { headers: { Accept: 'application/json' } })
    .then(answer => answer.json())
    .then(rows => {
      const shown = rows.items.filter(r => r.rates.complaint !== null).slice(0, 20);
      MailPulseCharts.chart(element).draw({
        tooltip: { trigger: 'axis', valueFormatter: value => (value * 100).toFixed(3) + '%' },
        grid: { left: 8, right: 24, top: 24, bottom: 8, containLabel: true },
        xAxis: { type: 'value', max: value => Math.max(value.max, limit * 1.2), axisLabel: { formatter: value => (value * 100).toFixed(2) + '%' } },
        yAxis: { type: 'category', inverse: true, data: shown.map(r => r.value || '(unknown)') },
        series: [{
          name: 'complaints ÷ deliveries', type: 'bar', data: shown.map(r => r.rates.complaint),
          itemStyle: { color: params => params.value >= limit ? '#b3261e' : params.value >= target ? '#e8743b' : '#19a979' },
          markLine: {
            symbol: 'none', label: { formatter: line => line.name, position: 'end' },
            data: [{ name: 'keep under 0.1%', xAxis: target, lineStyle: { color: '#e8743b' }, label: { align: 'right' } },
                   { name: 'never 0.3%', xAxis: limit, lineStyle: { color: '#b3261e' }, label: { align: 'left' } }]
          }
        }]
      });
      element.dataset.total = String(shown.length);
    });
}());
