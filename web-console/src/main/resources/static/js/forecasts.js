// The daily forecasts on the models page, from each one's own table: the forecast as a line inside its 95% and 80%
// intervals, drawn as bands (an invisible base stacked under the band's width).
(function () {
  'use strict';
  document.querySelectorAll('.forecast-chart').forEach(element => {
    const days = Array.from(document.querySelectorAll('#' + element.dataset.table + ' tbody tr')).map(row => row.dataset);
    const value = (day, key) => Number(day[key]);
    // both parts carry the band's colour, so that its legend shows it
    const band = (name, low, high, color) => [
      { name: name, type: 'line', stack: name, symbol: 'none', color: color, lineStyle: { opacity: 0 }, data: days.map(d => value(d, low)),
        tooltip: { show: false } },
      { name: name, type: 'line', stack: name, symbol: 'none', color: color, lineStyle: { opacity: 0 }, areaStyle: { color: color, opacity: 1 },
        data: days.map(d => value(d, high) - value(d, low)) }
    ];
    MailPulseCharts.chart(element).draw({
      tooltip: { trigger: 'axis' },
      legend: { bottom: 0, data: ['forecast', '80% interval', '95% interval'] },
      grid: { left: 56, right: 16, top: 8, bottom: 48 },
      xAxis: { type: 'category', boundaryGap: false, data: days.map(d => d.day) },
      yAxis: { type: 'value', min: 0 },
      series: band('95% interval', 'low95', 'high95', '#dbe4f7').concat(band('80% interval', 'low80', 'high80', '#a9bfeb'), [
        { name: 'forecast', type: 'line', data: days.map(d => value(d, 'forecast')), color: '#1d2430' }
      ])
    });
    element.dataset.drawn = String(days.length);
  });
}());
