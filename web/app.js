/* crest web app: a small single-page app on the JSON API of `crest serve` (/api/v1).
 * Plain JavaScript, no framework, no network beyond this origin. Hash routes:
 *   #/login  #/campaigns  #/campaigns/ID  #/new  #/creators  #/creators/ID  #/import  #/discover
 *   #/program (web/program.js)
 * The session cookie is HttpOnly; the CSRF token of the login answer is kept in
 * sessionStorage and sent as X-CSRF-Token on every POST. Every page builds its DOM with h(),
 * which only ever sets text, so no API value is parsed as HTML. */
'use strict';

(function () {
  const API = '/api/v1';
  /* import kinds: auto (from the header), the generic ones, the exports' profiles */
  const KINDS = ['auto', 'creators', 'snapshots', 'posts', 'metrics', 'comments', 'instagram',
    'tiktok', 'youtube', 'ga4', 'shopify', 'leads', 'mentions'];
  const PLATFORMS = ['instagram', 'tiktok', 'youtube', 'facebook', 'x', 'twitch', 'pinterest',
    'linkedin', 'snapchat', 'threads'];
  const GOALS = ['awareness', 'engagement', 'traffic', 'leads', 'sales'];
  const SVGNS = 'http://www.w3.org/2000/svg';

  let session = load_session();
  let page_token = 0; /* bumped on each navigation: late answers of an old page are dropped */

  /* ---- DOM helpers ---- */

  function h(tag, attrs, ...kids) {
    const el = document.createElement(tag);
    set_attrs(el, attrs);
    append(el, kids);
    return el;
  }

  function s(tag, attrs, ...kids) {
    const el = document.createElementNS(SVGNS, tag);
    set_attrs(el, attrs);
    append(el, kids);
    return el;
  }

  function set_attrs(el, attrs) {
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
      else if (k === 'class') el.setAttribute('class', v);
      else el.setAttribute(k, v === true ? '' : String(v));
    }
  }

  function append(el, kids) {
    for (const k of kids.flat(Infinity)) {
      if (k === null || k === undefined || k === false) continue;
      el.append(k instanceof Node ? k : document.createTextNode(String(k)));
    }
  }

  function main() { return document.getElementById('main'); }

  function show(...nodes) {
    const m = main();
    m.replaceChildren(...nodes.flat().filter(Boolean));
  }

  function error_box(err) {
    return h('div', { class: 'error', role: 'alert' }, err.message || String(err));
  }

  function debounce(fn, ms) {
    let t = null;
    return function (...args) {
      clearTimeout(t);
      t = setTimeout(() => fn(...args), ms);
    };
  }

  /* ---- numbers ---- */

  function fmt_num(v) {
    if (v === null || v === undefined) return '–';
    if (typeof v !== 'number') return String(v);
    const abs = Math.abs(v);
    const digits = abs >= 100 ? 0 : abs >= 1 ? 2 : 4;
    return v.toLocaleString('en-US', { maximumFractionDigits: digits });
  }

  /* A KPI value in its unit: money arrives in minor units, ratios as fractions. */
  function fmt_kpi(v, unit, currency) {
    if (v === null || v === undefined) return '–';
    switch (unit) {
      case 'ratio': return (v * 100).toFixed(2) + '%';
      case 'money': return (v / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }) + (currency ? ' ' + currency : '');
      case 'seconds': return Math.floor(v / 60) + 'm ' + String(Math.floor(v % 60)).padStart(2, '0') + 's';
      case 'multiple': return v.toFixed(2) + 'x';
      case 'per_day': return v.toFixed(1) + '/day';
      default: return fmt_num(v);
    }
  }

  function fmt_pct(v) {
    if (v === null || v === undefined) return '–';
    return Math.round(v * 100) + '%';
  }

  /* ---- session and API ---- */

  function load_session() {
    try {
      const v = JSON.parse(sessionStorage.getItem('crest.session') || 'null');
      return v && v.csrf ? v : null;
    } catch (e) {
      return null;
    }
  }

  function save_session(v) {
    session = v;
    if (v) sessionStorage.setItem('crest.session', JSON.stringify(v));
    else sessionStorage.removeItem('crest.session');
    render_nav();
  }

  class ApiError extends Error {
    constructor(status, body) {
      const e = (body && body.error) || {};
      super(e.message || 'HTTP ' + status);
      this.status = status;
      this.code = e.code || '';
      this.field = e.field || null;
      this.body = e;
    }
  }

  /* One request; resolves to {status, body}, rejects with ApiError. A 401 ends the session. */
  async function api(method, path, opts) {
    const o = opts || {};
    const headers = {};
    let body = o.body;
    if (method !== 'GET') {
      if (session) headers['X-CSRF-Token'] = session.csrf;
      if (o.json !== undefined) {
        headers['Content-Type'] = 'application/json';
        body = JSON.stringify(o.json);
      }
    }
    Object.assign(headers, o.headers || {});
    let res;
    try {
      res = await fetch(API + path, { method, headers, body, credentials: 'same-origin' });
    } catch (e) {
      throw new ApiError(0, { error: { message: 'cannot reach crest serve: ' + e.message } });
    }
    let data = null;
    try {
      data = await res.json();
    } catch (e) {
      data = null;
    }
    if (!res.ok) {
      if (res.status === 401 && path !== '/login') {
        save_session(null);
        go('#/login');
      }
      throw new ApiError(res.status, data);
    }
    return { status: res.status, body: data };
  }

  /* ---- navigation ---- */

  function go(hash) {
    if (location.hash === hash) route();
    else location.hash = hash;
  }

  function render_nav() {
    const nav = document.getElementById('nav');
    const logged = !!session;
    nav.hidden = !logged;
    document.getElementById('who').textContent =
      logged ? session.email + ' (' + session.role + ')' : '';
    for (const a of nav.querySelectorAll('a')) {
      const here = location.hash.startsWith(a.getAttribute('href'));
      if (here) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    }
  }

  function route() {
    page_token++;
    const hash = location.hash || '#/campaigns';
    render_nav();
    if (!session && hash !== '#/login') return go('#/login');
    if (session && session.role === 'creator' && hash !== '#/login') return page_refused();
    main().focus();
    let m;
    if (hash === '#/login') page_login();
    else if (hash === '#/campaigns') page_campaigns();
    else if ((m = hash.match(/^#\/campaigns\/([0-9]+)$/))) page_campaign(m[1]);
    else if (hash === '#/new') page_new();
    else if (hash === '#/creators') page_creators();
    else if ((m = hash.match(/^#\/creators\/([0-9]+)$/))) page_creator(m[1]);
    else if (hash === '#/import') page_import();
    else if (hash === '#/program' && window.crest_program) window.crest_program(ui_kit);
    else if (hash.startsWith('#/discover')) page_discover(new URLSearchParams(hash.split('?')[1] || ''));
    else show(h('h1', {}, 'Not found'), h('p', {}, 'No page ', hash, '. ',
      h('a', { href: '#/campaigns' }, 'Back to the campaigns')));
  }

  /* Runs fn(data) only if the user is still on the page that asked. */
  function current(fn) {
    const token = page_token;
    return (...args) => { if (token === page_token) fn(...args); };
  }

  async function logout() {
    try {
      await api('POST', '/logout');
    } catch (e) {
      /* the session is gone either way */
    }
    save_session(null);
    go('#/login');
  }

  /* ---- pages ---- */

  function page_login() {
    const msg = h('div', { 'aria-live': 'polite' });
    const email = h('input', { id: 'login-email', name: 'email', type: 'email',
      autocomplete: 'username', required: true });
    const pw = h('input', { id: 'login-password', name: 'password', type: 'password',
      autocomplete: 'current-password', required: true });
    const btn = h('button', { type: 'submit' }, 'Log in');
    const form = h('form', { class: 'stack card', id: 'login-form', onsubmit: async (ev) => {
      ev.preventDefault();
      btn.disabled = true;
      msg.replaceChildren();
      try {
        const r = await api('POST', '/login', { json: { email: email.value, password: pw.value } });
        save_session({ email: r.body.email, role: r.body.role, csrf: r.body.csrf });
        go('#/campaigns');
      } catch (e) {
        msg.replaceChildren(error_box(e));
        btn.disabled = false;
      }
    } },
    h('label', { for: 'login-email' }, 'Email', email),
    h('label', { for: 'login-password' }, 'Password', pw),
    h('div', {}, btn), msg);
    show(h('h1', {}, 'Log in to crest'), form);
    email.focus();
  }

  function page_refused() {
    show(h('h1', {}, 'No access yet'),
      h('div', { class: 'error', role: 'alert', id: 'refused' },
        'This account has the creator role: creator accounts cannot use the dashboard yet ',
        '(they will later see only their own forms). Ask an admin for another role, or log out.'),
      h('p', {}, h('button', { type: 'button', onclick: logout }, 'Log out')));
  }

  function status_badge(status, label) {
    const st = status || 'none';
    return h('span', { class: 'badge ' + st.replace(/[^a-z-]/g, '') },
      label ? label + ': ' + st : st);
  }

  function page_campaigns() {
    const list = h('ul', { class: 'campaigns', id: 'campaigns', 'aria-busy': 'true' });
    show(h('h1', {}, 'Campaigns'), list);
    api('GET', '/campaigns').then(current((r) => {
      list.removeAttribute('aria-busy');
      if (!r.body.length) {
        list.replaceWith(h('p', {}, 'No campaigns yet. ',
          h('a', { href: '#/new' }, 'Write one')));
        return;
      }
      for (const c of r.body) {
        const badges = h('div', { class: 'badges', 'aria-live': 'polite' },
          h('span', { class: 'muted' }, 'loading progress…'));
        list.append(h('li', { class: 'campaign', 'data-id': c.id },
          h('h2', {}, h('a', { href: '#/campaigns/' + c.id }, c.name)),
          h('p', { class: 'meta' },
            'Goal: ', c.primary_goal || '–',
            c.secondary_goal ? ' (then ' + c.secondary_goal + ')' : '',
            ' · ', c.start, ' to ', c.end, ' · ', h('span', { class: 'status' }, c.status)),
          badges));
        /* one call per campaign panel: its progress */
        api('GET', '/campaigns/' + c.id + '/progress').then(current((p) => {
          const prim = p.body.kpis.filter((k) => k.role === 'primary');
          badges.replaceChildren(...(prim.length
            ? prim.map((k) => status_badge(k.status, k.code))
            : [h('span', { class: 'muted' }, 'no primary KPIs')]));
        }), current((e) => badges.replaceChildren(error_box(e))));
      }
    }), current((e) => list.replaceWith(error_box(e))));
  }

  /* A horizontal bar per KPI: its % of target (the dashed line is 100%). */
  function kpi_chart(kpis) {
    /* drawn at the width it gets, so the labels keep their size on a phone */
    const avail = main().clientWidth - 40;
    const width = Math.max(300, Math.min(800, avail > 0 ? avail : 640));
    const rowh = 28, left = Math.min(150, Math.round(width * 0.34)), right = 48;
    const plot = width - left - right;
    const max = Math.max(1.5, ...kpis.map((k) => k.pct_of_target || 0));
    const scale = (v) => Math.max(0, Math.min(v, max)) / max * plot;
    const height = kpis.length * rowh + 24;
    const svg = s('svg', { class: 'chart', id: 'kpi-chart', viewBox: '0 0 ' + width + ' ' + height,
      role: 'img', 'aria-labelledby': 'chart-title' },
    s('title', { id: 'chart-title' }, '% of target per KPI'));
    kpis.forEach((k, i) => {
      const y = i * rowh + 4;
      const pct = k.pct_of_target;
      svg.append(
        s('text', { x: left - 8, y: y + rowh / 2 + 1, 'text-anchor': 'end',
          'dominant-baseline': 'middle' }, k.code),
        s('rect', { class: 'bar ' + (k.status || ''), x: left, y: y + 4,
          width: pct === null || pct === undefined ? 0 : scale(pct), height: rowh - 10,
          'data-kpi': k.code }, s('title', {}, k.code + ': ' + fmt_pct(pct) + ' of target')),
        s('text', { x: left + (pct ? scale(pct) : 0) + 6, y: y + rowh / 2 + 1,
          'dominant-baseline': 'middle' }, fmt_pct(pct)));
    });
    const x100 = left + scale(1);
    svg.append(s('line', { class: 'target', x1: x100, x2: x100, y1: 0, y2: height - 18 }),
      s('text', { x: x100, y: height - 4, 'text-anchor': 'middle' }, '100%'));
    return svg;
  }

  function page_campaign(id) {
    const body = h('div', { 'aria-busy': 'true' }, h('p', { class: 'muted' }, 'Loading…'));
    show(h('p', {}, h('a', { href: '#/campaigns' }, '← Campaigns')), body);
    api('GET', '/campaigns/' + id + '/progress').then(current((r) => {
      const p = r.body;
      const rows = p.kpis.map((k) => h('tr', {},
        h('th', { scope: 'row' }, k.code, h('div', { class: 'hint' }, k.definition || '')),
        h('td', {}, k.role),
        h('td', { class: 'num' }, fmt_kpi(k.actual, k.unit, p.currency)),
        h('td', { class: 'num' }, fmt_kpi(k.baseline, k.unit, p.currency)),
        h('td', { class: 'num' }, fmt_kpi(k.target, k.unit, p.currency)),
        h('td', { class: 'num' }, fmt_pct(k.pct_of_target)),
        h('td', { class: 'num' }, fmt_kpi(k.projected, k.unit, p.currency)),
        h('td', {}, status_badge(k.status), h('div', { class: 'hint' }, k.note || ''))));
      body.removeAttribute('aria-busy');
      body.replaceChildren(
        h('h1', {}, p.name),
        h('p', { class: 'meta' }, 'As of ', p.as_of, ' · ', fmt_pct(p.elapsed),
          ' of the period elapsed · ', p.posts, ' posts'),
        h('section', { class: 'card', 'aria-labelledby': 'chart-h' },
          h('h2', { id: 'chart-h' }, '% of target'), kpi_chart(p.kpis)),
        h('section', { 'aria-labelledby': 'kpi-h' },
          h('h2', { id: 'kpi-h' }, 'KPIs'),
          h('div', { class: 'table-wrap' }, h('table', { id: 'kpi-table' },
            h('thead', {}, h('tr', {}, ['KPI', 'Role', 'Actual', 'Baseline', 'Target',
              '% of target', 'Projection', 'Status'].map((t, i) =>
              h('th', { scope: 'col', class: i >= 2 && i <= 6 ? 'num' : null }, t)))),
            h('tbody', {}, rows)))),
        report_panels(id));
    }), current((e) => body.replaceChildren(error_box(e))));
  }

  /* #/discover[?like=platform/handle]: filters, ranked results with their reasons, and a
   * "Lookalikes" button per row (GET /api/v1/discover; docs/discovery.md). */
  function page_discover(params) {
    const field = (id, name, placeholder, value) => h('input', { id: id, name: name,
      placeholder: placeholder, value: value || null });
    const topic = field('dc-topic', 'topic', 'words, e.g. vegan baking');
    const platform = h('select', { id: 'dc-platform', name: 'platform' },
      h('option', { value: '' }, 'All platforms'),
      PLATFORMS.map((p) => h('option', { value: p }, p)));
    const tier = h('select', { id: 'dc-tier', name: 'tier' }, h('option', { value: '' }, 'Any tier'),
      ['nano', 'micro', 'mid', 'macro', 'mega'].map((t) => h('option', { value: t }, t)));
    const min_er = field('dc-min-er', 'min_er', 'e.g. 2%');
    const country = field('dc-country', 'country', 'e.g. US:0.3');
    const gender = field('dc-gender', 'gender', 'e.g. female:0.6');
    const max_fee = field('dc-max-fee', 'max_fee', 'e.g. 1500');
    const campaign = h('select', { id: 'dc-campaign', name: 'campaign' },
      h('option', { value: '' }, 'No campaign'));
    const not_in = h('input', { id: 'dc-not-in', name: 'not_in', type: 'checkbox' });
    const like = field('dc-like', 'like', '@handle or platform/handle', params.get('like'));
    const out = h('div', { 'aria-live': 'polite' });
    api('GET', '/campaigns').then(current((r) => {
      for (const c of r.body) campaign.append(h('option', { value: String(c.id) }, c.name));
    }), () => {});
    const load = () => {
      const q = new URLSearchParams({ limit: '25' });
      const put = (k, el) => { if (el.value.trim()) q.set(k, el.value.trim()); };
      put('topic', topic);
      put('platform', platform);
      put('tier', tier);
      put('min_er', min_er);
      put('country', country);
      put('gender', gender);
      put('max_fee', max_fee);
      put('like', like);
      put('campaign', campaign);
      if (not_in.checked && campaign.value) q.set('not_in', campaign.value);
      out.setAttribute('aria-busy', 'true');
      api('GET', '/discover?' + q.toString()).then(current((r) => {
        out.removeAttribute('aria-busy');
        out.replaceChildren(discover_results(r.body, (ref) => {
          like.value = ref;
          topic.value = '';
          load();
        }));
      }), current((e) => {
        out.removeAttribute('aria-busy');
        out.replaceChildren(error_box(e));
      }));
    };
    const form = h('form', { class: 'row card', role: 'search', onsubmit: (ev) => {
      ev.preventDefault();
      load();
    } },
    h('label', { for: 'dc-topic' }, 'Topic', topic),
    h('label', { for: 'dc-platform' }, 'Platform', platform),
    h('label', { for: 'dc-tier' }, 'Tier', tier),
    h('label', { for: 'dc-min-er' }, 'Min. ER', min_er),
    h('label', { for: 'dc-country' }, 'Audience country', country),
    h('label', { for: 'dc-gender' }, 'Audience gender', gender),
    h('label', { for: 'dc-max-fee' }, 'Max. fee', max_fee),
    h('label', { for: 'dc-campaign' }, 'Rank for', campaign),
    h('label', { for: 'dc-not-in' }, not_in, ' not already in it'),
    h('label', { for: 'dc-like' }, 'Lookalikes of', like),
    h('button', { type: 'submit' }, 'Search'));
    show(h('h1', {}, 'Discover'), form, out);
    load();
  }

  function discover_results(d, on_like) {
    const head = [];
    if (d.seed) head.push('Lookalikes of ' + d.seed + '. ');
    if (d.goal) head.push('Ranked for the ' + d.goal + ' goal of ' + d.campaign + '. ');
    head.push(d.total + (d.total === 1 ? ' creator matches' : ' creators match') +
      (d.capped ? ' (only the best text matches are ranked: narrow the search).' : '.'));
    if (!d.hits.length) return h('p', {}, head.join(''), ' No creator to show.');
    return h('div', {}, h('p', { class: 'muted' }, head.join('')),
      h('ol', { id: 'discover-results', class: 'results', start: String(d.offset + 1) },
        d.hits.map((c) => h('li', { class: 'card' },
          h('div', { class: 'row' },
            h('strong', {}, c.platform + '/' + c.handle),
            h('span', {}, c.name || ''),
            h('span', { class: 'muted' }, fmt_num(c.followers) + ' followers' +
              (c.tier ? ' (' + c.tier + ')' : '')),
            h('span', {}, 'score ' + c.score.toFixed(3)),
            c.engagement_rate === null ? null
              : h('span', {}, 'ER ' + (c.engagement_rate * 100).toFixed(2) + '%'),
            h('button', { type: 'button', class: 'secondary',
              onclick: () => on_like(c.platform + '/' + c.handle) }, 'Lookalikes')),
          h('ul', { class: 'reasons' }, c.reasons.map((t) => h('li', {}, t)))))));
  }

  /* The campaign report's panels (GET /campaigns/ID/report, one round trip): cumulative
   * daily series, creator leaderboard, funnel, attribution with the unattributed remainder,
   * and data freshness. */
  function report_panels(id) {
    const box = h('div', { id: 'report-panels', 'aria-busy': 'true' },
      h('p', { class: 'muted' }, 'Loading the report…'));
    api('GET', '/campaigns/' + id + '/report').then(current((r) => {
      const rep = r.body;
      const cur = rep.currency;
      const kv = (row, code) => {
        const k = row.kpis.find((x) => x.code === code);
        return k && k.formatted !== null ? k.formatted : '–';
      };
      const money = (minor) => fmt_kpi(minor, 'money', cur);
      const lb = rep.leaderboard.map((p) => h('tr', {},
        h('td', { class: 'num' }, p.rank),
        h('th', { scope: 'row' }, p.platform + '/' + p.handle,
          h('div', { class: 'hint' }, p.tier || '')),
        h('td', { class: 'num' }, p.posts),
        h('td', { class: 'num' }, kv(p, 'impressions')),
        h('td', { class: 'num' }, kv(p, 'engagements')),
        h('td', { class: 'num' }, kv(p, 'engagement_rate')),
        h('td', { class: 'num' }, kv(p, 'referral_sessions')),
        h('td', { class: 'num' }, kv(p, 'orders')),
        h('td', { class: 'num' }, kv(p, 'attributed_revenue')),
        h('td', { class: 'num' }, money(p.inputs.spend_minor)),
        h('td', { class: 'num' }, kv(p, 'roas')),
        h('td', { class: 'num' }, kv(p, 'emv'))));
      const attr = rep.attribution.map((a) => h('tr', {},
        h('th', { scope: 'row' }, a.kind),
        h('td', { class: 'num' }, fmt_num(a.to_posts)),
        h('td', { class: 'num' }, fmt_num(a.to_partnerships)),
        h('td', { class: 'num' }, fmt_num(a.by_utm)),
        h('td', { class: 'num' }, fmt_num(a.by_code)),
        h('td', { class: 'num' }, fmt_num(a.by_landing_utm)),
        h('td', { class: 'num' }, fmt_num(a.unattributed))));
      const table = (tid, heads, body_rows) => h('div', { class: 'table-wrap' },
        h('table', { id: tid }, h('thead', {}, h('tr', {}, heads.map((t, i) =>
          h('th', { scope: 'col', class: i === 0 || (tid === 'leaderboard' && i === 1)
            ? null : 'num' }, t)))), h('tbody', {}, body_rows)));
      box.removeAttribute('aria-busy');
      box.replaceChildren(
        rep.warnings.length ? h('ul', { class: 'warnings' },
          rep.warnings.map((w) => h('li', {}, w))) : '',
        h('section', { class: 'card', 'aria-labelledby': 'series-h' },
          h('h2', { id: 'series-h' }, 'Results by day (cumulative)'), series_chart(rep.series)),
        h('section', { 'aria-labelledby': 'lb-h' },
          h('h2', { id: 'lb-h' }, 'Creator leaderboard'),
          h('p', { class: 'hint' }, 'Ranked by ', rep.sort_kpi || 'engagements', '. ',
            rep.emv ? rep.emv.note : ''),
          table('leaderboard', ['#', 'Creator', 'Posts', 'Impressions', 'Engagements', 'ER',
            'Sessions', 'Orders', 'Revenue', 'Spend', 'ROAS', 'EMV'], lb)),
        h('section', { class: 'card', 'aria-labelledby': 'funnel-h' },
          h('h2', { id: 'funnel-h' }, 'Funnel'), funnel_chart(rep.funnel)),
        h('section', { 'aria-labelledby': 'attr-h' },
          h('h2', { id: 'attr-h' }, 'Attribution'),
          table('attribution', ['', 'To posts', 'To partnerships only', 'By link', 'By code',
            'By landing page', 'Unattributed'], attr),
          rep.unattributed.length ? h('ul', { id: 'unattributed', class: 'hint' },
            rep.unattributed.map((u) => h('li', {}, fmt_num(u.units) + ' ' + u.kind + ': ' +
              u.reason))) : ''),
        rep.sources.length ? h('p', { class: 'meta', id: 'sources' }, 'Sources: ',
          rep.sources.map((x) => x.kind + ' ' + (x.stale ? '(stale) ' : '') +
            (x.age_days !== null && x.age_days !== undefined ? x.age_days + ' d old' : ''))
            .join(' · ')) : '');
    }), current((e) => box.replaceChildren(error_box(e))));
    return box;
  }

  /* Impressions (left axis) and sessions (right axis) by day, as lines. */
  function series_chart(series) {
    const width = Math.max(300, Math.min(800, (main().clientWidth || 680) - 40));
    const height = 180, pad = 36;
    const svg = s('svg', { class: 'chart', id: 'series-chart',
      viewBox: '0 0 ' + width + ' ' + height, role: 'img', 'aria-labelledby': 'series-title' },
    s('title', { id: 'series-title' }, 'cumulative impressions and sessions by day'));
    if (!series.length) return svg;
    const x = (i) => pad + (series.length === 1 ? 0 : i * (width - 2 * pad) / (series.length - 1));
    [['impressions', 'line-a'], ['sessions', 'line-b']].forEach(([key, cls]) => {
      const max = Math.max(1, ...series.map((d) => d[key] || 0));
      const pts = series.map((d, i) => x(i).toFixed(1) + ',' +
        (height - pad - (d[key] || 0) / max * (height - 2 * pad)).toFixed(1)).join(' ');
      svg.append(s('polyline', { class: cls, points: pts, fill: 'none', 'data-series': key },
        s('title', {}, key + ': ' + fmt_num(series[series.length - 1][key] || 0))));
    });
    svg.append(s('text', { x: pad, y: height - 8 }, series[0].date),
      s('text', { x: width - pad, y: height - 8, 'text-anchor': 'end' },
        series[series.length - 1].date),
      s('text', { x: pad, y: 14, class: 'line-a' }, 'impressions'),
      s('text', { x: width - pad, y: 14, 'text-anchor': 'end', class: 'line-b' }, 'sessions'));
    return svg;
  }

  /* One bar per funnel step on a log scale (impressions dwarf orders), with its rate. */
  function funnel_chart(funnel) {
    const width = Math.max(300, Math.min(800, (main().clientWidth || 680) - 40));
    const rowh = 28, left = 110;
    const max = Math.log10(Math.max(10, ...funnel.map((f) => f.value || 0)));
    const svg = s('svg', { class: 'chart', id: 'funnel-chart',
      viewBox: '0 0 ' + width + ' ' + (funnel.length * rowh + 8), role: 'img',
      'aria-labelledby': 'funnel-title' }, s('title', { id: 'funnel-title' }, 'funnel'));
    funnel.forEach((f, i) => {
      const w = f.value > 0 ? Math.log10(f.value + 1) / max * (width - left - 140) : 0;
      svg.append(s('text', { x: left - 8, y: i * rowh + 18, 'text-anchor': 'end' }, f.step),
        s('rect', { class: 'bar', x: left, y: i * rowh + 6, width: w, height: rowh - 10,
          'data-step': f.step }),
        s('text', { x: left + w + 6, y: i * rowh + 18 }, fmt_num(f.value) +
          (f.rate !== null && f.rate !== undefined ? ' (' + fmt_pct(f.rate) + ')' : '')));
    });
    return svg;
  }

  function page_creators() {
    const platform = h('select', { id: 'cr-platform', name: 'platform' },
      h('option', { value: '' }, 'All platforms'),
      PLATFORMS.map((p) => h('option', { value: p }, p)));
    const search = h('input', { id: 'cr-search', name: 'search', type: 'search',
      placeholder: 'handle or name' });
    const minf = h('input', { id: 'cr-min', name: 'min_followers', inputmode: 'numeric',
      placeholder: 'e.g. 10K' });
    const out = h('div', { 'aria-live': 'polite' });
    const load = () => {
      const q = new URLSearchParams({ limit: '100' });
      if (platform.value) q.set('platform', platform.value);
      if (search.value.trim()) q.set('search', search.value.trim());
      if (minf.value.trim()) q.set('min_followers', minf.value.trim());
      out.setAttribute('aria-busy', 'true');
      api('GET', '/creators?' + q.toString()).then(current((r) => {
        out.removeAttribute('aria-busy');
        if (!r.body.length) return out.replaceChildren(h('p', {}, 'No creator matches.'));
        out.replaceChildren(h('p', { class: 'muted' }, r.body.length === 100
          ? 'The first 100 creators, largest first.' : r.body.length + ' creators.'),
        h('div', { class: 'table-wrap' }, h('table', { id: 'creators' },
          h('thead', {}, h('tr', {}, ['Handle', 'Platform', 'Name', 'Tier', 'Followers',
            'Country'].map((t, i) => h('th', { scope: 'col', class: i === 4 ? 'num' : null }, t)))),
          h('tbody', {}, r.body.map((c) => h('tr', {},
            h('td', {}, h('a', { href: '#/creators/' + c.id }, c.handle)), h('td', {}, c.platform), h('td', {}, c.name || '–'),
            h('td', {}, c.tier || '–'), h('td', { class: 'num' }, fmt_num(c.followers)),
            h('td', {}, c.country || '–')))))));
      }), current((e) => {
        out.removeAttribute('aria-busy');
        out.replaceChildren(error_box(e));
      }));
    };
    const later = debounce(load, 300);
    const form = h('form', { class: 'row card', role: 'search', onsubmit: (ev) => {
      ev.preventDefault();
      load();
    } },
    h('label', { for: 'cr-platform' }, 'Platform', platform),
    h('label', { for: 'cr-search' }, 'Search', search),
    h('label', { for: 'cr-min' }, 'Min. followers', minf),
    h('button', { type: 'submit' }, 'Filter'));
    platform.addEventListener('change', load);
    search.addEventListener('input', later);
    minf.addEventListener('input', later);
    show(h('h1', {}, 'Creators'), form, out);
    load();
  }

  /* ---- creator profile (#/creators/ID): vetting and forecast ---- */

  /* Followers day by day with the flagged spike days marked (red dots and dashed lines). */
  function growth_chart(growth) {
    const pts = growth.series || [];
    const avail = main().clientWidth - 40;
    const width = Math.max(300, Math.min(800, avail > 0 ? avail : 640));
    const height = 200, left = 64, right = 12, top = 10, bottom = 26;
    const svg = s('svg', { class: 'chart', id: 'growth-chart', viewBox: '0 0 ' + width + ' ' + height,
      role: 'img', 'aria-labelledby': 'growth-title' },
    s('title', { id: 'growth-title' }, 'Followers per day' +
      (growth.spikes.length ? '; spikes on ' + growth.spikes.map((x) => x.date).join(', ') : '')));
    if (pts.length < 2) {
      svg.append(s('text', { x: 8, y: height / 2 }, 'Fewer than two follower snapshots.'));
      return svg;
    }
    const t = (d) => Date.parse(d + 'T00:00:00Z');
    const t0 = t(pts[0].date), t1 = t(pts[pts.length - 1].date);
    const lo = Math.min(...pts.map((p) => p.followers)), hi = Math.max(...pts.map((p) => p.followers));
    const x = (d) => left + (t(d) - t0) / Math.max(1, t1 - t0) * (width - left - right);
    const y = (v) => top + (hi === lo ? 0.5 : (hi - v) / (hi - lo)) * (height - top - bottom);
    svg.append(s('polyline', { class: 'line', fill: 'none',
      points: pts.map((p) => x(p.date).toFixed(1) + ',' + y(p.followers).toFixed(1)).join(' ') }),
    s('text', { x: left - 6, y: y(hi) + 4, 'text-anchor': 'end' }, fmt_num(hi)),
    s('text', { x: left - 6, y: y(lo), 'text-anchor': 'end' }, fmt_num(lo)),
    s('text', { x: left, y: height - 6 }, pts[0].date),
    s('text', { x: width - right, y: height - 6, 'text-anchor': 'end' }, pts[pts.length - 1].date));
    for (const sp of growth.spikes) {
      svg.append(s('line', { class: 'target', x1: x(sp.date), x2: x(sp.date), y1: top,
        y2: height - bottom }),
      s('circle', { class: 'spike', cx: x(sp.date), cy: y(sp.followers_after), r: 5,
        'data-date': sp.date }, s('title', {}, sp.date + ': +' + fmt_num(sp.change) +
        ' followers, ' + fmt_num(sp.times_usual) + 'x the usual daily change')));
    }
    return svg;
  }

  function vet_section(v) {
    const q = v.audience_quality;
    const pct2 = (x) => (x === null || x === undefined ? '–' : (x * 100).toFixed(2) + '%');
    const er = v.engagement_rate;
    const score = q.value === null ? 'not computed'
      : Math.round(q.value) + ' / 100';
    const interval = q.value === null ? '' : '95% interval ' + Math.round(q.low) + ' to ' +
      Math.round(q.high) + ' (' + q.bootstrap + ' bootstrap resamples); from components carrying ' +
      fmt_pct(q.coverage) + ' of the weight';
    return [
      h('section', { class: 'card', 'aria-labelledby': 'aqs-h', id: 'aqs' },
        h('h2', { id: 'aqs-h' }, 'Audience Quality Score'),
        h('p', { class: 'big', id: 'aqs-score' }, score), h('p', { class: 'muted' }, interval),
        h('p', {}, 'Follower risk ', h('strong', {}, q.follower_risk), ', engagement risk ',
          h('strong', {}, q.engagement_risk), '.'),
        h('p', { id: 'aqs-verdict' }, v.verdict.text),
        h('h3', {}, 'Top reasons'),
        q.reasons.length ? h('ol', { id: 'aqs-reasons' }, q.reasons.slice(0, 5).map((r) => h('li', {}, r.text)))
          : h('p', {}, 'No warning signs.'),
        h('h3', {}, 'Components'),
        h('div', { class: 'table-wrap' }, h('table', { id: 'aqs-components' },
          h('thead', {}, h('tr', {}, ['Component', 'Weight', 'Score', 'Note'].map((t, i) =>
            h('th', { scope: 'col', class: i === 1 || i === 2 ? 'num' : null }, t)))),
          h('tbody', {}, q.components.map((c) => h('tr', {},
            h('td', {}, c.name.replace('_', ' ')), h('td', { class: 'num' }, fmt_pct(c.weight)),
            h('td', { class: 'num' }, c.score === null ? '–' : Math.round(c.score)),
            h('td', {}, c.note || ''))))))),
      h('section', { class: 'card', 'aria-labelledby': 'growth-h' },
        h('h2', { id: 'growth-h' }, 'Followers'),
        growth_chart(v.growth),
        h('p', { class: 'muted' }, v.growth.snapshots + ' daily snapshots; usual daily change ' +
          fmt_num(v.growth.usual_daily_change) + '; a spike is a robust z of ' +
          v.growth.threshold_z + ' or more and at least 1% in a day.')),
      h('section', { class: 'card', 'aria-labelledby': 'eng-h' },
        h('h2', { id: 'eng-h' }, 'Engagement and comments'),
        h('p', {}, 'Engagement rate ' + pct2(er.estimate) + ' ' + (er.definition || '').replace('_', ' ') +
          ' (95% interval ' + pct2(er.low) + ' to ' + pct2(er.high) + '), measured ' +
          pct2(er.measured) + ' over ' + er.posts_used + ' posts; the ' + (v.tier || '?') + ' ' +
          v.platform + ' range is ' + pct2(er.benchmark_low) + ' to ' + pct2(er.benchmark_high) +
          ' (' + er.benchmarks + ').'),
        h('p', {}, fmt_num(v.likes_comments.likes_per_comment) + ' likes per comment; typical ' +
          fmt_num(v.likes_comments.typical) + ' across ' + v.likes_comments.peers + ' ' +
          v.platform + ' creators here.'),
        h('p', {}, v.comments.total + ' comments: ' + v.comments.spam + ' spam, ' +
          v.comments.generic + ' generic, ' + v.comments.duplicate + ' copies, ' +
          v.comments.ring + ' from a ring. ' + v.comments.sentiment_note + '.')),
      h('section', { class: 'card', 'aria-labelledby': 'bs-h', id: 'brand-safety' },
        h('h2', { id: 'bs-h' }, 'Brand safety'),
        h('p', { class: 'muted' }, v.brand_safety.matches + ' matches in ' +
          v.brand_safety.captions_scanned + ' captions (lists: ' + v.brand_safety.lists + '); ' +
          v.brand_safety.note + '.'),
        v.brand_safety.flags.length ? h('div', { class: 'table-wrap' }, h('table', {},
          h('thead', {}, h('tr', {}, ['Date', 'Category', 'Matched', 'Caption'].map((t) =>
            h('th', { scope: 'col' }, t)))),
          h('tbody', {}, v.brand_safety.flags.map((f) => h('tr', {},
            h('td', {}, f.url ? h('a', { href: f.url, rel: 'noopener noreferrer' }, f.posted_at || 'post')
              : (f.posted_at || '–')),
            h('td', {}, f.category), h('td', {}, f.matched), h('td', {}, f.excerpt)))))) : null),
    ];
  }

  function forecast_section(f) {
    const row = (what, x) => h('tr', {}, h('td', {}, what), h('td', { class: 'num' }, fmt_num(Math.round(x.expected))),
      h('td', { class: 'num' }, fmt_num(Math.round(x.low)) + ' to ' + fmt_num(Math.round(x.high))),
      h('td', { class: 'num' }, x.history), h('td', { class: 'num' }, fmt_pct(x.own_weight)));
    return h('section', { class: 'card', 'aria-labelledby': 'fc-h', id: 'forecast' },
      h('h2', { id: 'fc-h' }, 'Next post'),
      h('div', { class: 'table-wrap' }, h('table', {},
        h('thead', {}, h('tr', {}, ['', 'Expected', '80% interval', 'Posts', 'Own weight'].map((t, i) =>
          h('th', { scope: 'col', class: i ? 'num' : null }, t)))),
        h('tbody', {}, row('Reach', f.reach), row('Engagements', f.engagements)))),
      h('p', { class: 'muted' }, f.method + '.'));
  }

  function page_creator(id) {
    const body = h('div', { 'aria-busy': 'true' }, h('p', { class: 'muted' }, 'Loading…'));
    show(h('h1', {}, 'Creator'), body);
    Promise.all([api('GET', '/creators/' + id), api('GET', '/creators/' + id + '/vet'),
      api('GET', '/creators/' + id + '/forecast').catch((e) => e)]).then(current(([c, v, f]) => {
      const cr = c.body;
      body.removeAttribute('aria-busy');
      show(h('h1', {}, cr.handle),
        h('p', { class: 'muted' }, cr.platform + ' · ' + fmt_num(cr.followers) + ' followers · tier ' +
          (v.body.tier || '–') + ' (' + v.body.tier_scheme + ')' + (cr.country ? ' · ' + cr.country : '')),
        cr.bio ? h('p', {}, cr.bio) : null,
        vet_section(v.body),
        f instanceof Error ? error_box(f) : forecast_section(f.body));
    }), current((e) => {
      body.removeAttribute('aria-busy');
      body.replaceChildren(error_box(e));
    }));
  }

  function page_import() {
    const kind = h('select', { id: 'imp-kind', name: 'kind' },
      KINDS.map((k) => h('option', { value: k }, k)));
    const file = h('input', { id: 'imp-file', name: 'file', type: 'file',
      accept: '.csv,text/csv', required: true });
    const partial = h('input', { id: 'imp-partial', type: 'checkbox' });
    const creator = h('input', { id: 'imp-creator', name: 'creator', type: 'text',
      placeholder: '@maya.runs', autocomplete: 'off' });
    const btn = h('button', { type: 'submit' }, 'Upload');
    const out = h('div', { id: 'import-result', 'aria-live': 'polite' });
    const form = h('form', { class: 'stack card', id: 'import-form', onsubmit: async (ev) => {
      ev.preventDefault();
      const f = file.files[0];
      if (!f) return out.replaceChildren(error_box(new Error('choose a CSV file first')));
      /* multipart/form-data, as curl -F sends it: the browser sets the boundary, and the
       * server takes the file name from the part (directories and control characters dropped) */
      const data = new FormData();
      data.append('file', f, f.name);
      if (creator.value.trim()) data.append('creator', creator.value.trim());
      if (partial.checked) data.append('partial', '1');
      btn.disabled = true;
      out.replaceChildren(h('p', { class: 'muted' }, 'Uploading ', f.name, '…'));
      try {
        const r = await api('POST', '/imports/' + encodeURIComponent(kind.value), { body: data });
        const b = r.body;
        out.replaceChildren();
        append(out, [h('div', { class: 'success', role: 'status' },
          (b.detected ? b.file + ' read as ' + b.kind + '. ' : '') +
          (b.already_imported
            ? b.file + ' was already imported: nothing changed.'
            : b.file + ': ' + b.rows_imported + ' of ' + b.rows_read + ' rows imported' +
              (b.rows_skipped ? ', ' + b.rows_skipped + ' skipped (totals, repeated line items)'
                : '') +
              (b.rows_rejected ? ', ' + b.rows_rejected + ' rejected' : '') + '.')),
        b.problems && b.problems.length ? problems_list(b.problems, b.problems_total) : null]);
      } catch (e) {
        const probs = e.body && e.body.problems;
        out.replaceChildren(h('div', { class: 'error', role: 'alert' },
          h('strong', {}, e.body && e.body.summary ? e.body.summary : e.message),
          probs ? problems_list(probs, e.body.problems_total) : null));
      }
      btn.disabled = false;
    } },
    h('label', { for: 'imp-kind' }, 'Kind of file', kind),
    h('label', { for: 'imp-file' }, 'CSV file', file),
    h('label', { for: 'imp-creator' }, 'Creator (for an export of one account, optional)',
      creator),
    h('label', { class: 'check', for: 'imp-partial' }, partial,
      'Import the valid rows and reject the others (partial)'),
    h('div', {}, btn));
    show(h('h1', {}, 'Import a CSV file'),
      h('p', { class: 'muted' }, 'The columns of each kind are in docs/formats.md; auto picks ' +
        'the kind from the header.'), form, out);
  }

  function problems_list(problems, total) {
    return [h('ul', { class: 'problems' }, problems.map((p) => h('li', {}, p.message))),
      total > problems.length ? h('p', {}, (total - problems.length) + ' more problems.') : null];
  }

  /* The JSON body of POST /campaigns from the form; KPI lines are "code role [target]". */
  function campaign_body(f) {
    const body = { name: f.name.value.trim() };
    if (f.brand.value.trim()) body.brand = f.brand.value.trim();
    if (f.goal.value) body.primary_goal = f.goal.value;
    if (f.objective.value.trim()) body.objective = f.objective.value.trim();
    const per = f.period.value.trim();
    const m = per.match(/^(\d{4}-\d{2}-\d{2})\s*(?:\.\.|to|–)\s*(\d{4}-\d{2}-\d{2})$/);
    if (m) body.period = { start: m[1], end: m[2] };
    else if (per) body.period = per;
    if (f.evaluation.value) body.evaluation = f.evaluation.value;
    body.kpis = f.kpis.value.split('\n').map((l) => l.trim()).filter(Boolean).map((l) => {
      const [code, role, ...rest] = l.split(/\s+/);
      const k = { code };
      if (role) k.role = role;
      if (rest.length) k.target = rest.join(' ');
      return k;
    });
    return body;
  }

  function smart_view(r) {
    return [
      h('p', {}, 'Overall: ', status_badge(r.overall),
        r.propose_benchmarking ? ' · consider a benchmarking period first' : ''),
      h('ul', { class: 'smart', id: 'smart' }, r.checks.map((c) => h('li', {
        'data-letter': c.letter },
      h('span', { class: 'letter', 'aria-hidden': 'true' }, c.letter),
      h('div', {}, h('strong', {}, c.name), ' ', status_badge(c.verdict),
        h('div', { class: 'hint' }, c.reason))))),
      r.rules && r.rules.length ? rules_view(r.rules) : null,
    ];
  }

  function rules_view(rules) {
    return [h('h3', {}, 'Goal rules broken'),
      h('ul', { class: 'problems' }, rules.map((x) => h('li', {}, x.message,
        x.suggestion ? ' — ' + x.suggestion : '')))];
  }

  function page_new() {
    const fld = (id, label, input, hint) => h('label', { for: id }, label,
      hint ? h('span', { class: 'hint' }, hint) : null, input);
    const f = {
      name: h('input', { id: 'nc-name', name: 'name', required: true }),
      brand: h('input', { id: 'nc-brand', name: 'brand' }),
      goal: h('select', { id: 'nc-goal', name: 'goal' },
        GOALS.map((g) => h('option', { value: g }, g))),
      objective: h('input', { id: 'nc-objective', name: 'objective' }),
      period: h('input', { id: 'nc-period', name: 'period', placeholder: '2027-Q3' }),
      evaluation: h('input', { id: 'nc-evaluation', name: 'evaluation', type: 'date' }),
      kpis: h('textarea', { id: 'nc-kpis', name: 'kpis', rows: 5, spellcheck: 'false',
        placeholder: 'referral_sessions primary +25%\nctr primary 1.2%\nengagement_rate contextual' }),
    };
    const verdicts = h('div', { id: 'smart-result', 'aria-live': 'polite' },
      h('p', { class: 'muted' }, 'The SMART check appears here as you type.'));
    const msg = h('div', { 'aria-live': 'polite' });
    const btn = h('button', { type: 'submit' }, 'Create campaign');
    let seq = 0;
    const check = current(() => {
      const body = campaign_body(f);
      if (!body.name) return;
      const mine = ++seq;
      verdicts.setAttribute('aria-busy', 'true');
      api('POST', '/campaigns/check', { json: body }).then(current((r) => {
        if (mine !== seq) return;
        verdicts.removeAttribute('aria-busy');
        verdicts.replaceChildren(...smart_view(r.body).flat().filter(Boolean));
      }), current((e) => {
        if (mine !== seq) return;
        verdicts.removeAttribute('aria-busy');
        verdicts.replaceChildren(error_box(e));
      }));
    });
    const later = debounce(check, 400);
    const form = h('form', { class: 'stack', id: 'new-campaign', onsubmit: async (ev) => {
      ev.preventDefault();
      btn.disabled = true;
      msg.replaceChildren();
      try {
        const r = await api('POST', '/campaigns', { json: campaign_body(f) });
        go('#/campaigns/' + r.body.id);
      } catch (e) {
        msg.replaceChildren(h('div', { class: 'error', role: 'alert' }, e.message,
          e.body && e.body.rules ? rules_view(e.body.rules) : null));
        btn.disabled = false;
      }
    } },
    fld('nc-name', 'Name', f.name),
    fld('nc-brand', 'Brand', f.brand, ' (optional)'),
    fld('nc-goal', 'Primary goal', f.goal),
    fld('nc-objective', 'Business objective', f.objective, ' (what the business gains)'),
    h('div', { class: 'row' },
      fld('nc-period', 'Period', f.period, ' 2027-Q3, or 2027-07-01..2027-09-30'),
      fld('nc-evaluation', 'Evaluation date', f.evaluation, ' (optional)')),
    fld('nc-kpis', 'KPIs', f.kpis, ' one per line: code role target'),
    h('div', {}, btn), msg);
    for (const el of Object.values(f)) {
      el.addEventListener('input', later);
      el.addEventListener('change', later);
    }
    show(h('h1', {}, 'New campaign'),
      h('div', { class: 'grid2' }, h('div', { class: 'card' }, form),
        h('section', { class: 'card', 'aria-labelledby': 'smart-h' },
          h('h2', { id: 'smart-h' }, 'SMART check'), verdicts)));
    f.name.focus();
  }

  /* ---- start ---- */

  /* what pages in their own files (web/program.js) build with */
  const ui_kit = { h, api, show, error_box, current, fmt_num };

  window.addEventListener('hashchange', route);
  document.addEventListener('DOMContentLoaded', () => {
    document.getElementById('logout').addEventListener('click', logout);
    route();
  });
})();
