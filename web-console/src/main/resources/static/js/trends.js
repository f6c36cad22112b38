// The workspace's trend of one KPI, from the page's own table: the daily value and its 7- and 28-day moving values.
(function () {
  'use strict';
  const element = document.getElementById('trend');
  if (!element) {
    return;
  }
  const rate = element.dataset.rate === 'true';
  const days = Array.from(document.querySelectorAll('#trend-table tbody tr')).map(row => row.dataset);
  const value = v => (v === undefined || v === '' ? null : Number(v) * (rate ? 100 : 1));
  MailPulseCharts.chart(element).draw({
    tooltip: { trigger: 'axis' },
    legend: { type: 'scroll', bottom: 0 },
    grid: { left: 56, right: 16, top: 8, bottom: 48 },
    xAxis: { type: 'category', data: days.map(d => d.day) },
    yAxis: { type: 'value', axisLabel: { formatter: rate ? '{value} %' : '{value}' } },
    series: [
      { name: 'day', type: 'line', symbol: 'none', lineStyle: { width: 1, opacity: 0.5 }, data: days.map(d => value(d.value)) },
      { name: '7 days', type: 'line', symbol: 'none', data: days.map(d => value(d.average7d)) },
      { name: '28 days', type: 'line', symbol: 'none', data: days.map(d => value(d.average28d)) }
    ]
  });
  element.dataset.points = String(days.length);
}());
