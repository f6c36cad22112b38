// What every page's charts share: their colours (twelve that stay apart, so that no two event types share one), a
// chart that follows the window's size, and the table of a chart's numbers (for screen readers and for copying).
window.MailPulseCharts = (function () {
  'use strict';
  const PALETTE = ['#2456c7', '#e8743b', '#19a979', '#ed4a7b', '#945ecf', '#13a4b4', '#525df4', '#bf399e', '#6c8893', '#ee6868',
    '#2f6497', '#a3a500'];

  /** An ECharts chart in the element, drawn on a canvas in the shared colours. */
  function chart(element) {
    const drawn = echarts.init(element, null, { renderer: 'canvas' });
    window.addEventListener('resize', () => drawn.resize());
    return {
      draw(option) {
        drawn.setOption(Object.assign({ animation: false, color: PALETTE }, option), { notMerge: true });
      }
    };
  }

  /** Fills the table of that id: a header row, then a row per entry whose first cell names it. */
  function table(id, header, rows) {
    const element = document.getElementById(id);
    const head = document.createElement('tr');
    header.forEach(name => {
      const th = document.createElement('th');
      th.scope = 'col';
      th.textContent = name;
      head.appendChild(th);
    });
    element.tHead.replaceChildren(head);
    element.tBodies[0].replaceChildren(...rows.map(cells => {
      const row = document.createElement('tr');
      cells.forEach((value, i) => {
        const cell = document.createElement(i === 0 ? 'th' : 'td');
        if (i === 0) {
          cell.scope = 'row';
        } else {
          cell.className = 'number';
        }
        cell.textContent = String(value);
        row.appendChild(cell);
      });
      return row;
    }));
  }

  return { chart: chart, table: table };
}());
