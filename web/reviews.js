/* crest web app: the partner review pages (issue 8), on the /api/v1/reviews routes. Hash routes:
 *   #/reviews                               cycles, the cohort's distribution and nine-box, what is due
 *   #/reviews/cycles/ID                     a cycle: partners and reviews (a reviewer sees the ratings preview)
 *   #/reviews/cycles/ID/review/CREATOR      the review form next to the evidence panel
 *   #/reviews/creators/ID                   a partner's scorecard with trend arrows and growth plans
 *   #/reviews/mine                          a creator account's own forms and released reviews
 *   #/review-link/TOKEN                     the same through a signed link, without an account
 * Uses the helpers app.js puts in window.crest (h() only ever sets text). */
'use strict';

(function () {
  const reg = (window.crest = window.crest || { pages: [] });
  const X = () => window.crest;

  const brand = (s) => s && s.role !== 'creator';
  reg.pages.push({ match: (hash) => hash.startsWith('#/review-link/'), render: page_link });
  reg.pages.push({
    match: (hash, s) => hash === '#/reviews/mine' && s && s.role === 'creator',
    render: page_mine,
  });
  reg.pages.push({ match: (hash, s) => brand(s) && /^#\/reviews(\/|$)/.test(hash), render: route_brand });

  const ARROWS = { up: '↑', down: '↓', flat: '→', 'n/a': '·' };
  const FEEDBACK = [['brief_clarity', 'Brief clarity'], ['feedback_timeliness', 'Feedback timeliness'],
    ['payment_punctuality', 'Payment punctuality'], ['creative_freedom', 'Creative freedom']];

  function num(v, pct) {
    if (v === null || v === undefined) return '–';
    return pct ? (v * 100).toFixed(2) + '%' : X().fmt_num(v);
  }

  /* A bar of w pixels; styled through the CSSOM (the page's CSP allows no style attribute). */
  function bar(w) {
    const el = X().h('span', { class: 'bar', 'aria-hidden': 'true' });
    Object.assign(el.style, { display: 'inline-block', height: '0.8em', background: '#4a7', width: w + 'px' });
    return el;
  }

  function loading(title) {
    const { h, show } = X();
    show(h('h1', {}, title), h('p', { class: 'muted' }, 'Loading…'));
  }

  function fail(title, e) {
    const { h, show, error_box } = X();
    show(h('h1', {}, title), error_box(e));
  }

  function route_brand(hash) {
    let m;
    if (hash === '#/reviews') return page_overview();
    if ((m = hash.match(/^#\/reviews\/cycles\/([^/]+)\/review\/([0-9]+)$/))) return page_form(m[1], m[2]);
    if ((m = hash.match(/^#\/reviews\/cycles\/([^/]+)$/))) return page_cycle(m[1]);
    if ((m = hash.match(/^#\/reviews\/creators\/([0-9]+)$/))) return page_scorecard(m[1]);
    const { h, show } = X();
    show(h('h1', {}, 'Not found'), h('p', {}, h('a', { href: '#/reviews' }, 'Back to the reviews')));
  }

  /* ---- #/reviews ---- */

  async function page_overview() {
    const { h, show, api, current } = X();
    loading('Partner reviews');
    const done = current((cycles, cohort, sched) => {
      const dist = cohort.distribution || {};
      const max = Math.max(1, ...Object.values(dist));
      show(h('h1', {}, 'Partner reviews'),
        h('section', { class: 'card', 'aria-labelledby': 'cycles-h' },
          h('h2', { id: 'cycles-h' }, 'Cycles'),
          cycles.length === 0 ? h('p', { class: 'muted' }, 'No review cycles yet (crest review start FILE).') :
            h('table', { id: 'cycles' }, h('thead', {}, h('tr', {}, ['Cycle', 'Kind', 'Period', 'Partners', 'Reviews', 'Released'].map((t) => h('th', {}, t)))),
              h('tbody', {}, cycles.map((c) => h('tr', {},
                h('td', {}, h('a', { href: '#/reviews/cycles/' + encodeURIComponent(c.name) }, c.name)),
                h('td', {}, c.kind), h('td', {}, c.period_start + ' – ' + c.period_end),
                h('td', {}, c.partners), h('td', {}, c.reviews), h('td', {}, c.released)))))),
        h('section', { class: 'card', 'aria-labelledby': 'cohort-h' },
          h('h2', { id: 'cohort-h' }, 'Cohort of ' + (cohort.cycle || '–')),
          h('p', {}, 'Rating distribution (every score of the cycle):'),
          h('div', { class: 'dist', id: 'distribution' }, Object.entries(dist).map(([k, v]) =>
            h('div', {}, h('span', {}, k + ': ' + v + ' '),
              bar(Math.round(200 * v / max))))),
          h('h3', {}, 'Nine-box (performance / potential)'),
          h('table', { id: 'ninebox' }, h('tbody', {}, cohort.partners.map((p) => h('tr', {},
            h('td', {}, h('a', { href: '#/reviews/creators/' + p.creator_id }, p.partner)),
            h('td', {}, num(p.performance)), h('td', {}, num(p.potential)),
            h('td', {}, p.performance === null ? 'not reviewed' : p.box))))),
          h('p', {}, 'Overdue milestones: ' + cohort.overdue.length + '; incentives due: ' + cohort.incentives_due.length)),
        h('section', { class: 'card', 'aria-labelledby': 'due-h' },
          h('h2', { id: 'due-h' }, 'Due in the next 30 days'),
          h('ul', { id: 'schedule' }, sched.items.slice(0, 15).map((i) =>
            h('li', {}, i.due + ' ', h('strong', {}, i.status), ' ' + i.kind + ' review of ' + i.partner + ' (' + i.period + ')')))));
    });
    try {
      const [a, b, c] = await Promise.all([api('GET', '/reviews/cycles'), api('GET', '/reviews/scorecard'),
        api('GET', '/reviews/schedule?days=30')]);
      done(a.body, b.body, c.body);
    } catch (e) {
      current(() => fail('Partner reviews', e))();
    }
  }

  /* ---- #/reviews/cycles/ID ---- */

  async function page_cycle(id) {
    const { h, show, api, current, session } = X();
    loading('Cycle');
    try {
      const r = await api('GET', '/reviews/cycles/' + id);
      current((c) => {
        const me = session().email;
        show(h('p', {}, h('a', { href: '#/reviews' }, '← Reviews')),
          h('h1', {}, 'Cycle ' + c.name),
          h('p', { class: 'muted' }, c.kind + ', ' + c.period_start + ' – ' + c.period_end + ', rubric ' + c.rubric_name + ' v' + c.rubric_version +
            (c.visibility === 'preview' ? '. Ratings preview: another reviewer\'s scores of a partner show once you submitted yours.' : '')),
          c.partners.map((p) => {
            const mine = p.reviews.some((x) => x.reviewer === me);
            return h('section', { class: 'card partner', 'data-partner': p.platform + '/' + p.handle },
              h('h2', {}, p.platform + '/' + p.handle, ' ', h('span', { class: 'badge' }, p.released_at ? 'released' : 'not released')),
              h('p', {}, h('a', { href: '#/reviews/creators/' + p.creator_id }, 'Scorecard'),
                mine ? ' · you reviewed this partner' : [' · ', h('a', { href: '#/reviews/cycles/' + encodeURIComponent(c.name) + '/review/' + p.creator_id }, 'Write your review')]),
              p.reviews.length ? h('table', {}, h('tbody', {}, p.reviews.map((x) =>
                h('tr', {}, h('td', {}, x.reviewer), h('td', {}, 'mean ' + x.mean.toFixed(2)), h('td', {}, x.summary || ''))))) : null,
              p.hidden_reviews ? h('p', { class: 'muted hidden-note' }, p.hidden_reviews + ' other review(s) hidden until you submit yours') : null,
              h('p', { class: 'muted' }, 'Self-assessment ' + (p.self_assessment ? 'received' : 'missing') + ', feedback ' + (p.feedback ? 'received' : 'missing')));
          }));
        const role = session().role;
        if (role === 'admin' || role === 'manager') calibration_view(c.name);
      })(r.body);
    } catch (e) {
      current(() => fail('Cycle', e))();
    }
  }

  /* the calibration view (admins and managers): severities with their errors, fair scores */
  async function calibration_view(name) {
    const { h, api, current, main } = X();
    const box = h('section', { class: 'card', id: 'calibration', 'aria-labelledby': 'cal-h' },
      h('h2', { id: 'cal-h' }, 'Calibration'), h('p', { class: 'muted' }, 'Loading…'));
    main().append(box);
    try {
      const d = (await api('GET', '/reviews/cycles/' + encodeURIComponent(name) + '/calibration')).body;
      current(() => box.replaceChildren(h('h2', { id: 'cal-h' }, 'Calibration'),
        h('p', { class: 'muted' }, d.ratings + ' ratings, ' + d.model + ' model; severity in score points (+ harsher than the average reviewer). ' +
          (d.connected ? 'The design is connected.' : 'The design is not connected: ' + d.rotation.map((x) => x.reviewer + ' also reviews ' + x.partner).join('; '))),
        h('table', { id: 'severities' }, h('thead', {}, h('tr', {}, ['Reviewer', 'Ratings', 'Raw mean', 'Severity', 'SE', 'Infit', 'Outfit', 'Flags'].map((t) => h('th', {}, t)))),
          h('tbody', {}, d.raters.map((r) => h('tr', {}, h('td', {}, r.name), h('td', {}, r.n), h('td', {}, num(r.raw_mean)),
            h('td', {}, (r.severity > 0 ? '+' : '') + num(r.severity)), h('td', {}, num(r.se)), h('td', {}, num(r.infit)), h('td', {}, num(r.outfit)),
            h('td', {}, r.flags || '–'))))),
        h('table', { id: 'fair' }, h('thead', {}, h('tr', {}, ['Partner', 'Raw mean', 'Fair score', 'SE'].map((t) => h('th', {}, t)))),
          h('tbody', {}, d.ratees.map((r) => h('tr', {}, h('td', {}, r.name), h('td', {}, num(r.raw_mean)), h('td', {}, num(r.fair)), h('td', {}, num(r.fair_se))))))))();
    } catch (e) {
      current(() => box.replaceChildren(h('h2', { id: 'cal-h' }, 'Calibration'), h('p', { class: 'muted' }, e.message)))();
    }
  }

  /* ---- the review form with the evidence panel ---- */

  function evidence_panel(ev) {
    const { h } = X();
    return h('aside', { class: 'card evidence', id: 'evidence', 'aria-labelledby': 'ev-h' },
      h('h2', { id: 'ev-h' }, 'Evidence: ' + ev.partner),
      h('p', { class: 'muted' }, 'Per period over ' + ev.periods_basis + '; trend = OLS slope per period with its 95% interval.'),
      h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, 'KPI'), ev.periods.map((p) => h('th', {}, p.period)), h('th', {}, 'target'), h('th', {}, 'trend'))),
        h('tbody', {}, ev.kpis.map((k) => {
          const pct = k.kpi === 'engagement_rate' || k.kpi === 'ctr';
          const t = k.trend;
          return h('tr', {}, h('td', {}, k.label), k.values.map((v) => h('td', {}, num(v, pct))), h('td', {}, num(k.target, pct)),
            h('td', { class: 'trend' }, ARROWS[t.arrow] + ' ' + num(t.slope, pct) + (t.low === null ? '' : ' (' + num(t.low, pct) + ' to ' + num(t.high, pct) + ')')));
        }))),
      h('h3', {}, 'Top posts'), h('ul', {}, ev.top_posts.map((p) => h('li', {}, p.posted_at + ' ' + num(p.engagement_rate, true) + ' ', p.url || ''))),
      h('h3', {}, 'Bottom posts'), h('ul', {}, ev.bottom_posts.map((p) => h('li', {}, p.posted_at + ' ' + num(p.engagement_rate, true) + ' ', p.url || ''))),
      h('h3', {}, 'Previous review'), h('p', {}, ev.previous_review ? ev.previous_review.cycle + ': mean ' + num(ev.previous_review.scores.mean) : 'none'),
      h('h3', {}, 'Growth plans'), h('ul', {}, ev.growth_plans.map((g) => h('li', {}, g.title + ': ' +
        g.milestones.map((m) => m.metric + ' ' + m.status + (m.overdue ? ' (overdue)' : '')).join(', ')))));
  }

  async function page_form(cycle, creator) {
    const { h, show, api, current, error_box, go } = X();
    loading('Review');
    let c, ev;
    try {
      [c, ev] = await Promise.all([api('GET', '/reviews/cycles/' + cycle), api('GET', '/reviews/creators/' + creator + '/evidence')]);
      c = c.body;
      ev = ev.body;
    } catch (e) {
      return current(() => fail('Review', e))();
    }
    const p = c.partners.find((x) => String(x.creator_id) === String(creator));
    if (!p) return current(() => fail('Review', new Error('not a partner of cycle ' + c.name)))();
    const msg = h('div', { id: 'form-msg', 'aria-live': 'polite' });
    const fields = c.criteria.map((cr) => {
      const ev_box = h('textarea', { id: 'ev-' + cr.code, name: 'ev-' + cr.code, rows: 2, 'aria-label': cr.name + ' evidence' });
      const ev_wrap = h('div', { class: 'evidence-field', hidden: true },
        h('label', { for: 'ev-' + cr.code }, 'Evidence for ' + cr.name + ' (required for 2 or below)'), ev_box);
      const radios = cr.anchors.map((a, i) => h('label', { class: 'anchor' },
        h('input', { type: 'radio', name: 'sc-' + cr.code, value: i + 1, 'aria-label': cr.name + ' ' + (i + 1),
          onchange: () => { ev_wrap.hidden = i + 1 > 2; } }), ' ' + (i + 1) + ' – ' + a));
      return { cr, ev_box, node: h('fieldset', {}, h('legend', {}, cr.name), radios, ev_wrap) };
    });
    const summary = h('textarea', { id: 'summary', rows: 3 });
    const potential = h('select', { id: 'potential' }, h('option', { value: '' }, '–'),
      [1, 2, 3].map((v) => h('option', { value: v }, ['low', 'medium', 'high'][v - 1])));
    async function submit(e) {
      e.preventDefault();
      const scores = {};
      for (const f of fields) {
        const sel = document.querySelector('input[name="sc-' + f.cr.code + '"]:checked');
        if (!sel) { msg.replaceChildren(error_box(new Error(f.cr.name + ': choose a score from 1 to 5'))); return; }
        const v = Number(sel.value);
        scores[f.cr.code] = v <= 2 ? { score: v, evidence: f.ev_box.value } : v;
      }
      const body = { cycle: c.name, partner: String(creator), scores, summary: summary.value || undefined };
      if (potential.value) body.potential = Number(potential.value);
      try {
        await api('POST', '/reviews', { json: body });
        go('#/reviews/cycles/' + encodeURIComponent(c.name));
      } catch (err) {
        msg.replaceChildren(error_box(err));
      }
    }
    current(() => show(h('p', {}, h('a', { href: '#/reviews/cycles/' + encodeURIComponent(c.name) }, '← Cycle ' + c.name)),
      h('h1', {}, 'Review of ' + p.platform + '/' + p.handle + ', cycle ' + c.name),
      h('div', { class: 'review-layout' },
        h('form', { id: 'review-form', onsubmit: submit }, fields.map((f) => f.node),
          h('label', { for: 'summary' }, 'Summary'), summary,
          h('label', { for: 'potential' }, 'Potential'), potential, msg,
          h('p', {}, h('button', { type: 'submit' }, 'Submit review')),
          h('p', { class: 'muted' }, 'A review is final once submitted.')),
        evidence_panel(ev))))();
  }

  /* ---- #/reviews/creators/ID ---- */

  async function page_scorecard(id) {
    const { h, show, api, current } = X();
    loading('Scorecard');
    try {
      const r = await api('GET', '/reviews/creators/' + id + '/scorecard');
      const d = r.body;
      const dims = [['storytelling', 'Storytelling'], ['production_discipline', 'Production discipline'],
        ['compliance', 'Compliance'], ['kpi_delivery', 'KPI delivery'], ['overall', 'Overall']];
      current(() => show(h('p', {}, h('a', { href: '#/reviews' }, '← Reviews')),
        h('h1', {}, 'Scorecard: ' + d.partner),
        h('table', { id: 'scorecard' }, h('thead', {}, h('tr', {}, h('th', {}, 'Cycle'), dims.map(([, n]) => h('th', {}, n)))),
          h('tbody', {}, d.cycles.map((c) => h('tr', {}, h('td', {}, c.cycle), dims.map(([k]) => h('td', {}, num(c[k], k === 'kpi_delivery'))))),
            h('tr', { class: 'trend-row' }, h('th', {}, 'Trend (90%)'), dims.map(([k]) =>
              h('td', { class: 'arrow', title: d.trends[k].arrow }, ARROWS[d.trends[k].arrow]))))),
        h('h2', {}, 'Growth plans'),
        d.growth_plans.length === 0 ? h('p', { class: 'muted' }, 'None yet.') :
          d.growth_plans.map((g) => h('section', { class: 'card' }, h('h3', {}, g.title),
            h('ul', {}, g.milestones.map((m) => h('li', {}, m.metric + ' → ' + m.target + ' by ' + m.due + ' (' + m.owner + '): ' + m.status +
              (m.overdue ? ' — overdue' : '') + (m.incentive_due ? ' — incentive due' : ''))))))))();
    } catch (e) {
      current(() => fail('Scorecard', e))();
    }
  }

  /* ---- the creator's side ---- */

  function creator_view(d, post) {
    const { h, error_box } = X();
    return [h('h1', {}, 'Your partner reviews: ' + d.partner),
      d.cycles.length === 0 ? h('p', {}, 'No review cycle includes your partnership yet.') :
        d.cycles.slice().reverse().map((c) => {
          const msg = h('div', { 'aria-live': 'polite' });
          const sa = c.self_assessment || {};
          const strengths = h('textarea', { id: 'strengths-' + c.id, rows: 2 }, sa.strengths || '');
          const growth = h('textarea', { id: 'growth-' + c.id, rows: 2 }, sa.growth_areas || '');
          const plan = h('textarea', { id: 'plan-' + c.id, rows: 2 }, sa.plan || '');
          const fb = c.feedback || {};
          const sels = FEEDBACK.map(([k, n]) => h('label', {}, n + ' ',
            h('select', { name: k, 'aria-label': n + ' ' + c.name }, [1, 2, 3, 4, 5].map((v) =>
              h('option', { value: v, selected: fb[k] === v }, String(v))))));
          const send = (what, body) => async (e) => {
            e.preventDefault();
            try {
              await post(what, body());
              msg.replaceChildren(h('p', { class: 'ok' }, 'Saved.'));
            } catch (err) {
              msg.replaceChildren(error_box(err));
            }
          };
          return h('section', { class: 'card cycle', 'data-cycle': c.name },
            h('h2', {}, 'Cycle ' + c.name + ' (' + c.period_start + ' – ' + c.period_end + ')'),
            c.released ? [h('h3', {}, 'The brand\'s reviews'), c.reviews.length === 0 ? h('p', {}, 'No review.') :
              c.reviews.map((r) => h('div', { class: 'released-review' }, h('strong', {}, r.reviewer), ' – mean ' + r.mean.toFixed(2),
                h('ul', {}, Object.entries(r.scores).map(([k, v]) => h('li', {}, k + ': ' + v.score + (v.evidence ? ' — ' + v.evidence : ''))))))] :
              h('p', { class: 'muted' }, 'The brand\'s reviews of this cycle are not released yet.'),
            c.released ? null : [
              h('form', { class: 'self-form', onsubmit: send('self', () => ({ cycle: c.name, partner: d.partner, strengths: strengths.value, growth_areas: growth.value, plan: plan.value })) },
                h('h3', {}, 'Your self-assessment'),
                h('label', { for: 'strengths-' + c.id }, 'Strengths'), strengths,
                h('label', { for: 'growth-' + c.id }, 'Growth areas'), growth,
                h('label', { for: 'plan-' + c.id }, 'Development plan'), plan,
                h('p', {}, h('button', { type: 'submit' }, 'Save self-assessment'))),
              h('form', { class: 'feedback-form', onsubmit: send('feedback', () => {
                const b = { cycle: c.name, partner: d.partner };
                for (const s of sels) { const el = s.querySelector('select'); b[el.name] = Number(el.value); }
                return b;
              }) }, h('h3', {}, 'How did we do?'), sels, h('p', {}, h('button', { type: 'submit' }, 'Save feedback')))],
            msg);
        })];
  }

  async function page_mine() {
    const { show, api, current } = X();
    loading('Your partner reviews');
    try {
      const r = await api('GET', '/reviews/mine');
      current(() => show(...creator_view(r.body, (what, body) => api('POST', '/reviews/mine/' + what, { json: body }))))();
    } catch (e) {
      current(() => fail('Your partner reviews', e))();
    }
  }

  /* The link's routes without app.js's api(): a refused token is shown here, not turned
   * into the login page (the link has no session to end). */
  async function link_api(method, path, json) {
    const res = await fetch('/api/v1' + path, {
      method, credentials: 'omit',
      headers: json ? { 'Content-Type': 'application/json' } : {},
      body: json ? JSON.stringify(json) : undefined,
    });
    let body = null;
    try { body = await res.json(); } catch (e) { body = null; }
    if (!res.ok) throw new Error((body && body.error && body.error.message) || 'HTTP ' + res.status);
    return { status: res.status, body };
  }

  async function page_link(hash) {
    const { show, current } = X();
    const api = link_api;
    const token = encodeURIComponent(hash.slice('#/review-link/'.length));
    document.getElementById('nav').hidden = true;
    loading('Your partner reviews');
    try {
      const r = await api('GET', '/reviews/link?token=' + token);
      current(() => show(...creator_view(r.body, (what, body) => api('POST', '/reviews/link/' + what + '?token=' + token, { json: body }))))();
    } catch (e) {
      current(() => fail('Your partner reviews', e))();
    }
  }
})();
