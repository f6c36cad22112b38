// The overview's live parts: events per minute over the last hour by type (drawn with ECharts, with a table of the
// same numbers), and the live feed; both kept current from the live stream (/api/v1/stream, this session's own).
(function () {
  'use strict';
  const chartElement = document.getElementById('per-minute');
  if (!chartElement) {
    return;
  }
  const zone = chartElement.dataset.zone;
  const minuteLabel = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', timeZone: zone || undefined });
  const chart = MailPulseCharts.chart(chartElement);
  let minutes = []; // [{minute: ISO, counts: {type: n}}], oldest first

  function types() {
    const all = new Set();
    minutes.forEach(m => Object.keys(m.counts).filter(t => !t.includes(':')).forEach(t => all.add(t)));
    return Array.from(all).sort();
  }

  function render() {
    const shown = types();
    chart.draw({
      tooltip: { trigger: 'axis' },
      legend: { type: 'scroll', bottom: 0 },
      grid: { left: 40, right: 8, top: 8, bottom: 48 },
      xAxis: { type: 'category', data: minutes.map(m => minuteLabel.format(new Date(m.minute))) },
      yAxis: { type: 'value', minInterval: 1 },
      series: shown.map(type => ({ name: type, type: 'bar', stack: 'events', data: minutes.map(m => m.counts[type] || 0) }))
    });
    const total = minutes.reduce((sum, m) => sum + shown.reduce((s, t) => s + (m.counts[t] || 0), 0), 0);
    chartElement.dataset.total = String(total);
    renderTable(shown);
  }

  function renderTable(shown) {
    MailPulseCharts.table('per-minute-table', ['Minute'].concat(shown), minutes.filter(m => shown.some(t => m.counts[t]))
      .map(m => [minuteLabel.format(new Date(m.minute))].concat(shown.map(t => m.counts[t] || 0))));
  }

  /** A minute's counts as the stream sends them: the current one's, replacing what was there, the window moving on. */
  function counted(minute, counts) {
    const at = minutes.findIndex(m => m.minute === minute);
    if (at >= 0) {
      minutes[at] = { minute: minute, counts: counts };
    } else if (minutes.length === 0 || minute > minutes[minutes.length - 1].minute) {
      minutes.push({ minute: minute, counts: counts });
      minutes = minutes.slice(-60);
    }
    render();
  }

  const feed = document.getElementById('feed');
  function showEvent(event) {
    const item = document.createElement('li');
    const time = document.createElement('time');
    time.dateTime = event.occurred_at;
    time.textContent = new Date(event.occurred_at).toLocaleTimeString(undefined, { timeZone: zone || undefined });
    const type = document.createElement('strong');
    type.textContent = event.type;
    const about = document.createElement('span');
    about.className = 'muted';
    about.textContent = [event.campaign_id, event.recipient && event.recipient.domain, event.link_url].filter(Boolean).join(' · ');
    item.append(time, ' ', type, ' ', about);
    feed.prepend(item);
    while (feed.children.length > 50) {
      feed.lastElementChild.remove();
    }
  }

  const state = document.getElementById('stream-state');
  let lastId = null;
  let wait = 1000;
  function connect() {
    const socket = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + chartElement.dataset.stream);
    socket.onopen = () => {
      wait = 1000;
      state.textContent = 'live';
      socket.send(JSON.stringify({ subscribe: 'counters' }));
      socket.send(JSON.stringify(lastId ? { subscribe: 'feed', after: lastId } : { subscribe: 'feed' }));
    };
    socket.onmessage = message => {
      const data = JSON.parse(message.data);
      if (data.type === 'counters') {
        counted(data.minute, data.counts);
      } else if (data.type === 'event') {
        lastId = data.id;
        showEvent(data.event);
      }
    };
    socket.onclose = () => {
      state.textContent = 'reconnecting…';
      setTimeout(connect, wait);
      wait = Math.min(wait * 2, 30000);
    };
  }

  fetch(chartElement.dataset.live, { headers: { Accept: 'application/json' } })
    .then(answer => answer.json())
    .then(live => {
      minutes = live.minutes.map(m => ({ minute: m.minute, counts: m.counts }));
      render();
      connect();
    });
}());
