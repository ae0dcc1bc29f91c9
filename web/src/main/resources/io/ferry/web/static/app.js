// Ferry dashboard. One EventSource (api/events) drives everything; the
// process page adds a detail fetch and a log stream. No framework, no polling.
'use strict';
(function () {
  const STATES = ['PENDING', 'STARTING', 'RUNNING', 'SUSPENDED', 'LOST', 'RESTARTING', 'COMPLETED', 'FAILED', 'TERMINATED'];
  const LOG_MAX = 200 * 1024;          // characters of log kept in the DOM
  const NODE_CELLS = ['id', 'host', 'slots', 'labels', 'session', 'up', 'pids'];
  const PROC_CELLS = ['pid', 'name', 'class', 'state', 'node', 'generation', 'checkpoint', 'risk', 'age'];
  const natural = new Intl.Collator(undefined, { numeric: true }).compare; // p-2 < p-10

  const $ = (id) => document.getElementById(id);

  let state = null;          // last state payload from the stream
  let recvAt = 0;            // performance.now() when it arrived
  const seenNodes = new Set(); // every node id ever seen, for the node filter
  let page = null;           // the open process page, or null on the overview

  // ---------- small helpers ----------

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }

  // Only touch the DOM when the text really changes (keeps selection/hover stable).
  function setText(e, s) {
    s = s == null ? '' : String(s);
    if (e.textContent !== s) e.textContent = s;
  }

  // Server time now: the server's clock at the last message plus local
  // monotonic time since then, so a skewed browser clock doesn't matter.
  function now() {
    return state ? state.cluster.at + (performance.now() - recvAt) : Date.now();
  }

  function fmtAge(ms) {
    let s = Math.max(0, Math.floor(ms / 1000));
    if (s < 60) return s + 's';
    let m = Math.floor(s / 60); s %= 60;
    if (m < 60) return m + 'm ' + s + 's';
    let h = Math.floor(m / 60); m %= 60;
    if (h < 24) return h + 'h ' + m + 'm';
    return Math.floor(h / 24) + 'd ' + (h % 24) + 'h';
  }

  // An age cell remembers its timestamp in data-t so tick() can refresh it
  // without re-rendering anything else.
  function setAge(e, t, fallback) {
    if (t == null) {
      delete e.dataset.t;
      e.removeAttribute('title');
      setText(e, fallback);
    } else {
      e.dataset.t = String(t);
      e.title = new Date(t).toLocaleString();
      setText(e, fmtAge(now() - t));
    }
  }

  function tick() {
    const n = now();
    document.querySelectorAll('[data-t]').forEach((e) => setText(e, fmtAge(n - Number(e.dataset.t))));
  }

  function pad2(n) { return (n < 10 ? '0' : '') + n; }
  function fmtTime(ms) {
    const d = new Date(ms);
    return pad2(d.getHours()) + ':' + pad2(d.getMinutes()) + ':' + pad2(d.getSeconds());
  }

  function fmtLabels(labels) {
    const keys = labels ? Object.keys(labels) : [];
    return keys.length ? keys.map((k) => k + '=' + labels[k]).join(', ') : '-';
  }

  function setStateText(e, st) {
    setText(e, st);
    const cls = 'state state-' + st;
    if (e.className !== cls) e.className = cls;
  }

  function pidHref(pid) { return '#/processes/' + encodeURIComponent(pid); }
  function pidUrl(pid) { return 'api/processes/' + encodeURIComponent(pid); }

  function findProc(pid) {
    return state ? (state.processes || []).find((p) => p.pid === pid) || null : null;
  }

  // Parse a response body as JSON, or null if it isn't (e.g. an HTML 502 page).
  async function readJson(res) {
    try { return await res.json(); } catch (e) { return null; }
  }

  // Rebuild a <select>'s options only when the list changed, keeping the
  // user's choice even if that value has (for now) disappeared.
  function fillSelect(sel, values, allLabel) {
    const cur = sel.value;
    const want = values.slice();
    if (cur && !want.includes(cur)) want.push(cur);
    const have = Array.from(sel.options).slice(1).map((o) => o.value);
    if (have.join('\n') !== want.join('\n')) {
      sel.textContent = '';
      sel.appendChild(new Option(allLabel, ''));
      want.forEach((v) => sel.appendChild(new Option(v, v)));
    }
    sel.value = cur;
  }

  // ---------- state stream ----------

  // ok: the stream is open; stale: the server cannot read the cluster, so what shows is its last good view
  function setLive(ok, stale) {
    const live = $('live');
    setText(live, !ok ? 'reconnecting…' : stale ? 'stale: ' + stale : 'live');
    live.className = ok && !stale ? 'live-ok' : 'live-bad';
  }

  function connect() {
    const src = new EventSource('api/events');
    src.addEventListener('open', () => setLive(true));
    src.addEventListener('state', (ev) => {
      let s;
      try { s = JSON.parse(ev.data); } catch (e) { return; }
      setLive(true, s.cluster && s.cluster.error);
      onState(s);
    });
    src.addEventListener('error', () => {
      setLive(false);
      // CLOSED means the browser gave up (non-200 reply, wrong type); retry ourselves.
      if (src.readyState === EventSource.CLOSED) setTimeout(connect, 3000);
    });
  }

  function onState(s) {
    s.cluster = s.cluster || {};
    s.nodes = s.nodes || [];
    s.processes = s.processes || [];
    state = s;
    recvAt = performance.now();
    s.nodes.forEach((n) => seenNodes.add(n.id));
    s.processes.forEach((p) => { if (p.node) seenNodes.add(p.node); });
    renderHeader();
    renderNodes();
    renderProcesses();
    if (page) onPageState();
  }

  // ---------- header ----------

  function renderHeader() {
    const c = state.cluster;
    setText($('connect'), c.connect || '-');
    setText($('leader'), c.leader || 'none');
    const ro = $('readonly');
    ro.hidden = !c.readOnly;
    setText(ro, c.readOnly ? 'read-only: ' + (c.readOnlyWhy || '') : '');
    document.querySelectorAll('button[data-action]').forEach((b) => { b.disabled = !!c.readOnly; });
  }

  function showError(text) { setText($('error'), text); setText($('message'), ''); }
  function showMessage(text) { setText($('error'), ''); setText($('message'), text); }

  // ---------- overview tables ----------

  // Keyed update of table rows: reuse a row per key, fix order, drop the rest.
  function reconcile(tbody, items, key, attr, cells, fill) {
    const old = new Map();
    Array.from(tbody.rows).forEach((tr) => old.set(tr.dataset[attr], tr));
    items.forEach((item, i) => {
      const k = key(item);
      let tr = old.get(k);
      if (tr) {
        old.delete(k);
      } else {
        tr = document.createElement('tr');
        tr.dataset[attr] = k;
        cells.forEach((c) => tr.appendChild(el('td', c)));
      }
      const td = {};
      cells.forEach((c, j) => { td[c] = tr.cells[j]; });
      fill(tr, item, td);
      if (tbody.rows[i] !== tr) tbody.insertBefore(tr, tbody.rows[i] || null);
    });
    old.forEach((tr) => tr.remove());
  }

  function setPidLinks(td, pids) {
    const k = pids.join('\n');
    if (td.dataset.k === k && td.firstChild) return;
    td.dataset.k = k;
    td.textContent = '';
    if (!pids.length) { td.textContent = '-'; return; }
    pids.slice().sort(natural).forEach((pid, i) => {
      if (i) td.appendChild(document.createTextNode(', '));
      const a = el('a', null, pid);
      a.href = pidHref(pid);
      td.appendChild(a);
    });
  }

  function renderNodes() {
    const nodes = state.nodes.slice().sort((a, b) => natural(a.id, b.id));
    reconcile($('nodes').tBodies[0], nodes, (n) => n.id, 'node', NODE_CELLS, (tr, n, td) => {
      setText(td.id, n.id);
      setText(td.host, n.host || '-');
      setText(td.slots, (n.used != null ? n.used : 0) + '/' + (n.slots != null ? n.slots : '?'));
      setText(td.labels, fmtLabels(n.labels));
      setText(td.session, n.session || '-');
      setAge(td.up, n.upSince, '-');
      setPidLinks(td.pids, n.pids || []);
    });
    $('nodes-empty').hidden = nodes.length > 0;
    setText($('nodes-count'), '(' + nodes.length + ')');
  }

  function renderProcesses() {
    if (!state) return;
    fillSelect($('filter-node'), Array.from(seenNodes).sort(natural), 'all nodes');
    const fState = $('filter-state').value;
    const fNode = $('filter-node').value;
    const procs = state.processes.slice().sort((a, b) => natural(a.pid, b.pid));
    let shown = 0;
    reconcile($('processes').tBodies[0], procs, (p) => p.pid, 'pid', PROC_CELLS, (tr, p, td) => {
      let a = td.pid.firstChild;
      if (!a) a = td.pid.appendChild(el('a'));
      a.href = pidHref(p.pid);
      setText(a, p.pid);
      setText(td.name, p.name || '-');
      setText(td.class, p.className || '-');
      setStateText(td.state, p.state);
      setText(td.node, p.node || '-');
      setText(td.generation, p.generation != null ? p.generation : '-');
      setAge(td.checkpoint, p.checkpointAt, 'never');
      // Work lost if this process died now: since the last checkpoint (or start).
      // what a crash would lose: the work since the later of its last checkpoint and its (re)start
      const riskFrom = p.checkpointAt != null ? Math.max(p.checkpointAt, p.since) : p.since;
      setAge(td.risk, p.state === 'RUNNING' ? riskFrom : null, '-');
      setAge(td.age, p.createdAt, '-');
      // Filtering only hides rows, so the keyed rows survive filter changes.
      tr.hidden = !!((fState && p.state !== fState) || (fNode && p.node !== fNode));
      if (!tr.hidden) shown++;
    });
    const empty = $('processes-empty');
    empty.hidden = shown > 0;
    setText(empty, procs.length ? 'No processes match the filters.' : 'No processes.');
    setText($('processes-count'), '(' + (shown === procs.length ? procs.length : shown + ' of ' + procs.length) + ')');
  }

  // ---------- process page ----------

  function procKey(p) {
    return p ? p.state + '|' + (p.node || '') + '|' + p.generation : null;
  }

  function enterPage(pid) {
    page = { pid: pid, key: null, detail: null, seq: 0, logEs: null, logIds: false };
    $('overview').hidden = true;
    $('process').hidden = false;
    document.title = pid + ' · Ferry';
    setText($('p-pid'), pid);
    setText($('p-name'), '');
    setText($('p-notice'), '');
    setStateText($('p-state'), '…');
    ['p-node', 'p-generation'].forEach((id) => setText($(id), '-'));
    setAge($('p-checkpoint'), null, '-');
    setText($('p-snapshot'), '');
    setText($('p-error'), '');
    $('p-spec').textContent = '';
    $('history').textContent = '';
    $('log').textContent = '';
    setText($('log-status'), '');
    $('migrate-to').value = '';
    page.key = state ? procKey(findProc(pid)) : undefined;   // undefined: no state seen yet
    if (state) onPageState();
    loadDetail();
    openLog(page);
  }

  function leavePage() {
    if (!page) return;
    if (page.logEs) page.logEs.close();   // stop following the old process's log
    page = null;
  }

  // Called on every state message while the process page is open.
  function onPageState() {
    const p = findProc(page.pid);
    const k = procKey(p);
    // History only changes on transitions, so re-fetch just then. On the
    // first state after entering, compare with what the detail fetch saw.
    const before = page.key !== undefined ? page.key : page.detail ? procKey(page.detail.process) : k;
    if (p && k !== before) loadDetail();
    page.key = k;
    fillSelect($('migrate-to'), state.nodes.map((n) => n.id).sort(natural), 'any other node');
    renderPageLive();
  }

  function renderPageLive() {
    const pg = page;
    // The stream is the source of truth; the detail fetch only fills in before it arrives.
    const p = findProc(pg.pid) || (!state && pg.detail ? pg.detail.process : null);
    if (!p) {
      if (state) setStateText($('p-state'), 'forgotten');
      $('p-checkpoint').removeAttribute('data-t');  // stop ticking a stale age
      return;
    }
    setStateText($('p-state'), p.state);
    setText($('p-name'), p.name || '');
    setText($('p-node'), p.node || '-');
    setText($('p-generation'), p.generation != null ? p.generation : '-');
    setAge($('p-checkpoint'), p.checkpointAt, 'never');
    setText($('p-snapshot'), p.snapshot != null ? '(snapshot ' + p.snapshot + ')' : '');
    setText($('p-error'), p.error || '');
  }

  async function loadDetail() {
    const pg = page;
    const seq = ++pg.seq;
    let res, body;
    try {
      res = await fetch(pidUrl(pg.pid), { cache: 'no-store', headers: { Accept: 'application/json' } });
      body = await readJson(res);
    } catch (e) {
      if (pg === page && seq === pg.seq) setText($('p-notice'), 'Could not load details: ' + e.message);
      return;
    }
    if (pg !== page || seq !== pg.seq) return;   // user moved on, or a newer fetch is under way
    if (!res.ok || !body) {
      setText($('p-notice'), (body && body.error) || 'Could not load details: HTTP ' + res.status);
      return;
    }
    setText($('p-notice'), '');
    pg.detail = body;
    renderSpec(body.spec || {});
    renderHistory(body.history || []);
    renderPageLive();
  }

  function specValue(dd, v) {
    if (v == null || v === '') { dd.textContent = '-'; return; }
    if (Array.isArray(v)) {
      if (!v.length) { dd.textContent = '-'; return; }
      // One <code> per item so arguments with spaces stay distinguishable.
      v.forEach((item, i) => {
        if (i) dd.appendChild(document.createTextNode(' '));
        dd.appendChild(el('code', null, String(item)));
      });
      return;
    }
    if (typeof v === 'object') { dd.textContent = fmtLabels(v); return; }
    dd.textContent = String(v);
  }

  function renderSpec(spec) {
    const dl = $('p-spec');
    dl.textContent = '';
    Object.keys(spec).forEach((k) => {
      dl.appendChild(el('dt', null, k));
      const dd = el('dd');
      dd.dataset.key = k;
      specValue(dd, spec[k]);
      dl.appendChild(dd);
    });
  }

  function renderHistory(history) {
    const ol = $('history');
    ol.textContent = '';
    history.forEach((h) => {
      const li = el('li');
      const time = el('time', 'time', h.at != null ? fmtTime(h.at) : '--:--:--');
      if (h.at != null) { time.title = new Date(h.at).toLocaleString(); time.dateTime = new Date(h.at).toISOString(); }
      li.appendChild(time);
      li.appendChild(el('span', 'state state-' + h.state, h.state));
      li.appendChild(el('span', 'node', h.node || '-'));
      li.appendChild(el('span', 'generation', 'gen ' + (h.generation != null ? h.generation : '-')));
      li.appendChild(el('span', 'reason', h.reason || ''));
      ol.appendChild(li);
    });
  }

  function openLog(pg) {
    const status = $('log-status');
    const src = new EventSource(pidUrl(pg.pid) + '/log');
    pg.logEs = src;
    src.addEventListener('open', () => {
      if (page !== pg) return;
      // Without event ids the server replays from the start on every
      // connection, so start over instead of duplicating text.
      if (!pg.logIds) $('log').textContent = '';
      setText(status, '(following)');
    });
    src.addEventListener('log', (ev) => {
      if (page !== pg) return;
      if (ev.lastEventId) pg.logIds = true;
      let d;
      try { d = JSON.parse(ev.data); } catch (e) { return; }
      if (d && d.text) appendLog(d.text);
    });
    src.addEventListener('gone', () => {
      src.close();   // otherwise the browser would keep reconnecting
      if (page === pg) setText(status, '(ended: process forgotten)');
    });
    src.addEventListener('error', () => {
      if (page !== pg) return;
      setText(status, src.readyState === EventSource.CLOSED ? '(unavailable)' : '(reconnecting…)');
    });
  }

  function appendLog(text) {
    const pre = $('log');
    // Follow the tail only if the user is already at the bottom.
    const stick = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 8;
    let node = pre.firstChild;
    if (!node || node.nodeType !== Node.TEXT_NODE) {
      pre.textContent = '';
      node = pre.appendChild(document.createTextNode(''));
    }
    node.appendData(text);
    if (node.length > LOG_MAX) {
      let cut = node.length - LOG_MAX;
      const nl = node.data.indexOf('\n', cut);
      if (nl !== -1 && nl - cut < 4096) cut = nl + 1;  // drop whole lines when cheap
      node.deleteData(0, cut);
    }
    if (stick) pre.scrollTop = pre.scrollHeight;
  }

  // ---------- actions ----------

  async function act(action) {
    const pg = page;
    const pid = pg.pid;
    const target = $('migrate-to').value;
    const body = (action === 'migrate' || action === 'resume') && target ? { node: target } : {};
    let res, data;
    try {
      res = await fetch(pidUrl(pid) + '/' + action, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Ferry-Action': '1' },
        body: JSON.stringify(body),
      });
      data = await readJson(res);
    } catch (e) {
      showError('Cannot ' + action + ' ' + pid + ': ' + e.message);
      return;
    }
    if (res.ok && data && data.ok !== false) {
      showMessage(data.message || 'OK');
      if (page === pg) loadDetail();   // history may gain an entry before the state moves
    } else {
      showError((data && data.error) || 'Cannot ' + action + ' ' + pid + ': HTTP ' + res.status);
    }
  }

  // ---------- routing and start-up ----------

  function route() {
    const m = /^#\/processes\/(.+)$/.exec(location.hash);
    let pid = null;
    if (m) { try { pid = decodeURIComponent(m[1]); } catch (e) { pid = m[1]; } }
    if (page && page.pid === pid) return;
    leavePage();
    if (pid) { enterPage(pid); return; }
    $('process').hidden = true;
    $('overview').hidden = false;
    document.title = 'Ferry';
  }

  function init() {
    const fs = $('filter-state');
    STATES.forEach((s) => fs.appendChild(new Option(s, s)));
    fs.addEventListener('change', renderProcesses);
    $('filter-node').addEventListener('change', renderProcesses);
    document.addEventListener('click', (ev) => {
      const b = ev.target.closest('button[data-action]');
      if (b && page && !b.disabled) act(b.dataset.action);
    });
    window.addEventListener('hashchange', route);
    route();
    connect();
    setInterval(tick, 1000);   // local re-render of ages, not a server poll
  }

  init();
})();
