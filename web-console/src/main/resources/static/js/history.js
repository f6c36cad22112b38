// The campaign's days as the nightly ETL counted them, from the page's own table: sent and delivered as bars, the
// human open and click rates as lines on a second axis.
(function () {
  'use strict';
  const element = document.getElementById('history');
  if (!element) {
    return;
  }
  const days = Array.from(document.querySelectorAll('#history-table tbody tr')).map(row => row.dataset);
  const rate = value => (value === undefined || value === '' ? null : Number(value) * 100);
  MailPulseCharts.chart(element).draw({
    tooltip: { trigger: 'axis' },
    legend: { type: 'scroll', bottom: 0 },
    grid: { left: 56, right: 48, top: 8, bottom: 48 },
    xAxis: { type: 'category', data: days.map(d => d.day) },
    yAxis: [{ type: 'value', minInterval: 1 }, { type: 'value', axisLabel: { formatter: '{value} %' } }],
    series: [
      { name: 'sent', type: 'bar', data: days.map(d => Number(d.sent)) },
      { name: 'delivered', type: 'bar', data: days.map(d => Number(d.delivered)) },
      { name: 'human open rate', type: 'line', yAxisIndex: 1, data: days.map(d => rate(d.humanOpenRate)) },
      { name: 'human click rate', type: 'line', yAxisIndex: 1, data: days.map(d => rate(d.humanClickRate)) }
    ]
  });
  element.dataset.total = String(days.reduce((sum, d) => sum + Number(d.sent), 0));
}());
