/* crest web app: the Outreach page (issue 7), on the /api/v1/outreach routes. Hash routes:
 *   #/outreach                     templates with a live preview and its lint, sequences, the
 *                                  send queue, and the pipeline board of a campaign
 *   #/outreach/creators/ID         a creator's timeline, with the state change, note and opt-out
 * Uses the helpers app.js puts in window.crest (h() only ever sets text, so a template or a
 * creator's name is never parsed as HTML; the preview's HTML part is shown as source). */
'use strict';

(function () {
  const reg = (window.crest = window.crest || { pages: [] });
  const X = () => window.crest;
  const brand = (s) => s && s.role !== 'creator';
  reg.pages.push({ match: (hash, s) => brand(s) && /^#\/outreach(\/|$)/.test(hash), render: route });

  const STATE_LABEL = {
    prospect: 'Prospect', contacted: 'Contacted', replied: 'Replied', negotiating: 'Negotiating',
    contracted: 'Contracted', live: 'Live', completed: 'Completed', declined: 'Declined',
    'opted-out': 'Opted out',
  };
  const can_write = () => { const s = X().session(); return s && (s.role === 'admin' || s.role === 'manager'); };
  const can_preview = () => { const s = X().session(); return s && s.role !== 'reviewer'; };

  function route(hash) {
    const m = hash.match(/^#\/outreach\/creators\/([0-9]+)$/);
    if (m) return page_timeline(m[1]);
    return page_main();
  }

  function debounce(fn, ms) {
    let t = null;
    return (...args) => { clearTimeout(t); t = setTimeout(() => fn(...args), ms); };
  }

  function when(t) { return t ? t.replace('T', ' ').replace(/:00Z$/, '').replace(/Z$/, '') : '–'; }

  function wrap_table(id, head, rows) {
    const { h } = X();
    return h('div', { class: 'table-wrap' }, h('table', { id },
      h('thead', {}, h('tr', {}, head.map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, rows)));
  }

  /* ---- the main page ---- */

  async function page_main() {
    const { h, api, show, current, error_box } = X();
    show(h('h1', {}, 'Outreach'), h('p', { class: 'muted' }, 'Loading…'));
    let campaigns, templates, sequences, queue;
    try {
      [campaigns, templates, sequences, queue] = await Promise.all([
        api('GET', '/campaigns'), api('GET', '/outreach/templates'),
        api('GET', '/outreach/sequences'), api('GET', '/outreach/queue')]);
    } catch (e) {
      current(() => show(h('h1', {}, 'Outreach'), error_box(e)))();
      return;
    }
    const camps = (campaigns.body.campaigns || campaigns.body || []).map((c) => ({ id: c.id, name: c.name }));
    const camp_select = h('select', { id: 'or-campaign', name: 'campaign' },
      h('option', { value: '' }, 'Every campaign'),
      camps.map((c) => h('option', { value: String(c.id) }, c.name)));
    const board = h('div', { id: 'or-board-wrap', 'aria-live': 'polite' });
    const editor = h('div', {});
    const render = current(() => show(
      h('h1', {}, 'Outreach'),
      h('div', { class: 'row card' }, h('label', { for: 'or-campaign' }, 'Campaign', camp_select)),
      editor,
      h('div', { class: 'grid2' }, sequences_section(sequences.body.sequences, templates.body.templates),
        queue_section(queue.body.queue)),
      h('section', { class: 'card', 'aria-labelledby': 'or-board-h' },
        h('h2', { id: 'or-board-h' }, 'Pipeline'), board)));
    render();
    const reload_board = () => load_board(board, camp_select.value);
    template_editor(editor, templates.body.templates, camp_select);
    camp_select.addEventListener('change', () => { reload_board(); editor.dispatchEvent(new Event('campaign')); });
    reload_board();
  }

  /* The templates: pick one or start a new one; every edit re-renders the preview for the
   * chosen creator (debounced), with the lint's unfilled variables listed. */
  function template_editor(box, templates, camp_select) {
    const { h, api, error_box } = X();
    const pick = h('select', { id: 'tpl-pick', name: 'template' },
      templates.map((t) => h('option', { value: t.name }, t.name)),
      h('option', { value: '' }, 'New template…'));
    const name = h('input', { id: 'tpl-name', name: 'name', required: true, autocomplete: 'off' });
    const subject = h('input', { id: 'tpl-subject', name: 'subject', required: true, autocomplete: 'off' });
    const text = h('textarea', { id: 'tpl-text', name: 'text', rows: '10', required: true });
    const html = h('textarea', { id: 'tpl-html', name: 'html', rows: '4' });
    const creator = h('select', { id: 'tpl-creator', name: 'creator' });
    const saved_msg = h('div', { 'aria-live': 'polite', id: 'tpl-saved' });
    const out_subject = h('p', { id: 'pv-subject', class: 'pv-subject' });
    const out_text = h('pre', { id: 'pv-text', class: 'pv-text' });
    const out_html = h('pre', { id: 'pv-html', class: 'pv-text pv-html' });
    const lint = h('div', { id: 'pv-lint', 'aria-live': 'polite' });

    function fill(t) {
      name.value = t ? t.name : '';
      subject.value = t ? t.subject : '';
      text.value = t ? t.text : '';
      html.value = t && t.html ? t.html : '';
      name.readOnly = !!t;
    }
    fill(templates[0]);
    if (!templates.length) pick.value = '';

    let seq = 0;
    async function preview() {
      if (!can_preview()) return;
      if (!creator.value) {
        lint.replaceChildren(h('p', { class: 'muted' }, 'No creator in this campaign\'s pipeline to preview for.'));
        return;
      }
      const mine = ++seq;
      const body = { creator: Number(creator.value), subject: subject.value, text: text.value };
      if (camp_select.value) body.campaign = Number(camp_select.value);
      if (html.value.trim()) body.html = html.value;
      try {
        const r = await api('POST', '/outreach/preview', { json: body });
        if (mine !== seq) return;
        const d = r.body;
        out_subject.textContent = d.subject;
        out_text.textContent = d.text;
        out_html.textContent = d.html;
        lint.replaceChildren(d.ok
          ? h('div', { class: 'success', id: 'pv-ok' }, 'Every variable is filled: this message can be sent.')
          : h('div', { class: 'error', role: 'alert', id: 'pv-problems' },
            'This message would not be sent - unfilled variables:',
            h('ul', { class: 'problems' }, d.lint.map((i) => h('li', {},
              i.part + ' ' + i.line + ':' + i.column + ': {{' + i.name + '}} ' + i.message)))));
      } catch (e) {
        if (mine !== seq) return;
        out_subject.textContent = '';
        out_text.textContent = '';
        out_html.textContent = '';
        lint.replaceChildren(error_box(e));
      }
    }
    const later = debounce(preview, 250);

    async function load_creators() {
      const q = camp_select.value ? '?campaign=' + camp_select.value : '';
      try {
        const r = await api('GET', '/outreach/pipeline' + q);
        const seen = new Set();
        const opts = [];
        for (const c of r.body.cards) {
          if (seen.has(c.creator_id)) continue;
          seen.add(c.creator_id);
          opts.push(h('option', { value: String(c.creator_id) }, '@' + c.handle + (c.name ? ' – ' + c.name : '')));
        }
        creator.replaceChildren(...opts);
      } catch (e) {
        creator.replaceChildren();
      }
      preview();
    }

    pick.addEventListener('change', () => {
      fill(templates.find((t) => t.name === pick.value));
      if (!pick.value) name.focus();
      preview();
    });
    for (const el of [subject, text, html]) el.addEventListener('input', later);
    creator.addEventListener('change', preview);
    box.addEventListener('campaign', load_creators);

    const form = h('form', { id: 'tpl-form', class: 'stack', onsubmit: async (ev) => {
      ev.preventDefault();
      saved_msg.replaceChildren();
      try {
        await api('POST', '/outreach/templates', { json: { name: name.value, subject: subject.value,
          text: text.value, html: html.value.trim() ? html.value : null } });
        const known = templates.find((t) => t.name === name.value);
        if (known) Object.assign(known, { subject: subject.value, text: text.value, html: html.value || null });
        else {
          templates.push({ name: name.value, subject: subject.value, text: text.value, html: html.value || null });
          pick.insertBefore(h('option', { value: name.value }, name.value), pick.lastChild);
          pick.value = name.value;
          name.readOnly = true;
        }
        saved_msg.replaceChildren(h('div', { class: 'success' }, 'Template ' + name.value + ' saved.'));
      } catch (e) {
        saved_msg.replaceChildren(error_box(e));
      }
    } },
    h('label', { for: 'tpl-pick' }, 'Template', pick),
    h('label', { for: 'tpl-name' }, 'Name', name),
    h('label', { for: 'tpl-subject' }, 'Subject', subject),
    h('label', { for: 'tpl-text' }, 'Text', h('span', { class: 'hint' },
      '{{creator.first_name}}, {{post.url}}, {{#offer}}…{{/offer}}, {{^post}}…{{/post}}: docs/outreach.md'), text),
    h('label', { for: 'tpl-html' }, 'HTML (optional: the text is sent as HTML otherwise)', html),
    can_write() ? h('div', {}, h('button', { type: 'submit' }, 'Save template')) : null, saved_msg);

    box.replaceChildren(h('div', { class: 'grid2' },
      h('section', { class: 'card', 'aria-labelledby': 'tpl-h' }, h('h2', { id: 'tpl-h' }, 'Templates'), form),
      h('section', { class: 'card', 'aria-labelledby': 'pv-h', id: 'preview' },
        h('h2', { id: 'pv-h' }, 'Preview'),
        h('label', { for: 'tpl-creator' }, 'For', creator),
        lint, h('h3', {}, 'Subject'), out_subject, h('h3', {}, 'Text'), out_text,
        h('h3', {}, 'HTML part'), out_html)));
    load_creators();
  }

  function sequences_section(sequences, templates) {
    const { h, api, error_box } = X();
    const list = h('ul', { id: 'sequences', class: 'stack plain' }, sequences.map((s) => h('li', {},
      h('strong', {}, s.name), ': ',
      s.steps.map((st) => 'day ' + st.day + ' ' + st.template).join(' → '))));
    const name = h('input', { id: 'seq-name', name: 'name', required: true, autocomplete: 'off' });
    const steps = h('textarea', { id: 'seq-steps', name: 'steps', rows: '3', required: true,
      placeholder: '0 intro\n3 nudge\n5 last-call' });
    const msg = h('div', { 'aria-live': 'polite' });
    const form = h('form', { id: 'seq-form', class: 'stack', onsubmit: async (ev) => {
      ev.preventDefault();
      msg.replaceChildren();
      const parsed = steps.value.split('\n').map((l) => l.trim()).filter(Boolean).map((l) => {
        const [day, template] = l.split(/\s+/, 2);
        return { day: Number(day), template };
      });
      try {
        await api('POST', '/outreach/sequences', { json: { name: name.value, steps: parsed } });
        list.appendChild(h('li', {}, h('strong', {}, name.value), ': ',
          parsed.map((st) => 'day ' + st.day + ' ' + st.template).join(' → ')));
        msg.replaceChildren(h('div', { class: 'success' }, 'Sequence ' + name.value + ' saved.'));
      } catch (e) {
        msg.replaceChildren(error_box(e));
      }
    } },
    h('label', { for: 'seq-name' }, 'Name', name),
    h('label', { for: 'seq-steps' }, 'Steps', h('span', { class: 'hint' },
      'one per line: days after the previous step, then the template (' +
      templates.map((t) => t.name).join(', ') + ')'), steps),
    h('div', {}, h('button', { type: 'submit' }, 'Add sequence')), msg);
    return h('section', { class: 'card', 'aria-labelledby': 'seq-h' },
      h('h2', { id: 'seq-h' }, 'Sequences'),
      sequences.length ? list : h('p', { class: 'muted' }, 'No sequence yet.'),
      can_write() ? h('details', {}, h('summary', {}, 'New sequence'), form) : null);
  }

  function queue_section(queue) {
    const { h } = X();
    const rows = queue.slice(-50).reverse();
    return h('section', { class: 'card', 'aria-labelledby': 'q-h' },
      h('h2', { id: 'q-h' }, 'Send queue'),
      rows.length === 0 ? h('p', { class: 'muted' }, 'Nothing queued: crest outreach enqueue, then crest outreach run (crest serve runs it too).')
        : wrap_table('or-queue', ['Creator', 'Step', 'Status', 'Due', 'Sent'],
          rows.map((q) => h('tr', {},
            h('td', {}, h('a', { href: '#/outreach/creators/' + q.creator_id }, '@' + q.handle)),
            h('td', {}, q.sequence + ' ' + q.step),
            h('td', {}, h('span', { class: 'badge ' + (q.status === 'sent' ? 'pass' : q.status === 'queued' ? '' : 'fail') }, q.status),
              q.error ? h('div', { class: 'hint' }, q.error) : null),
            h('td', {}, when(q.due_at)), h('td', {}, when(q.sent_at))))));
  }

  async function load_board(box, campaign) {
    const { h, api, error_box } = X();
    box.replaceChildren(h('p', { class: 'muted' }, 'Loading…'));
    try {
      const r = await api('GET', '/outreach/pipeline' + (campaign ? '?campaign=' + campaign : ''));
      const d = r.body;
      box.replaceChildren(h('div', { class: 'board', id: 'or-board' }, d.states.map((st) => {
        const cards = d.cards.filter((c) => c.state === st);
        return h('section', { class: 'board-col', 'data-state': st, 'aria-label': STATE_LABEL[st] || st },
          h('h3', {}, (STATE_LABEL[st] || st) + ' ', h('span', { class: 'badge' }, String(cards.length))),
          h('ul', { class: 'plain stack' }, cards.map((c) => h('li', { class: 'board-card' },
            h('a', { href: '#/outreach/creators/' + c.creator_id }, '@' + c.handle),
            c.name ? h('div', {}, c.name) : null,
            campaign ? null : h('div', { class: 'hint' }, c.campaign),
            h('div', { class: 'hint' }, c.platform + (c.updated_at ? ' · ' + when(c.updated_at) : ''))))));
      })));
    } catch (e) {
      box.replaceChildren(error_box(e));
    }
  }

  /* ---- a creator's timeline ---- */

  async function page_timeline(id) {
    const { h, api, show, current, error_box } = X();
    show(h('h1', {}, 'Timeline'), h('p', { class: 'muted' }, 'Loading…'));
    let tl, board;
    try {
      [tl, board] = await Promise.all([api('GET', '/outreach/creators/' + id + '/timeline'),
        api('GET', '/outreach/pipeline')]);
    } catch (e) {
      current(() => show(h('h1', {}, 'Timeline'), error_box(e)))();
      return;
    }
    const c = tl.body.creator;
    const mine = board.body.cards.filter((k) => k.creator_id === c.id);
    const reload = () => page_timeline(id);
    const parts = [h('p', {}, h('a', { href: '#/outreach' }, '← Outreach')),
      h('h1', {}, '@' + c.handle + (c.name ? ' – ' + c.name : '')),
      h('p', { class: 'meta' }, [c.platform, c.email, c.country].filter(Boolean).join(' · '))];
    if (mine.length) {
      parts.push(h('section', { class: 'card', 'aria-labelledby': 'tl-p-h' },
        h('h2', { id: 'tl-p-h' }, 'Partnerships'),
        h('ul', { class: 'plain stack', id: 'tl-partnerships' }, mine.map((k) => h('li', {},
          h('strong', {}, k.campaign), ': ', h('span', { class: 'badge', 'data-state': k.state }, STATE_LABEL[k.state] || k.state),
          can_write() ? state_form(k, board.body.states, reload) : null)))));
    }
    parts.push(h('div', { class: 'grid2' }, note_form(c, mine, reload), optout_box(c, mine, reload)));
    parts.push(h('section', { class: 'card', 'aria-labelledby': 'tl-h' }, h('h2', { id: 'tl-h' }, 'Timeline'),
      tl.body.events.length === 0 ? h('p', { class: 'muted' }, 'Nothing yet.')
        : h('ol', { class: 'timeline', id: 'timeline' }, tl.body.events.map((e) => h('li', { 'data-kind': e.kind },
          h('span', { class: 'badge ' + (e.kind === 'reply' ? 'pass' : e.kind === 'bounce' || e.kind === 'optout' ? 'fail' : '') }, e.kind),
          ' ', h('time', {}, when(e.at)), e.actor ? h('span', { class: 'hint' }, ' by ' + e.actor) : null,
          e.detail ? h('div', { class: 'tl-detail' }, e.detail) : null)))));
    current(() => show(...parts))();
  }

  function state_form(k, states, reload) {
    const { h, api, error_box } = X();
    const sel = h('select', { id: 'st-' + k.partnership_id, name: 'state' },
      states.map((s) => h('option', { value: s, selected: s === k.state }, STATE_LABEL[s] || s)));
    const msg = h('span', { 'aria-live': 'polite' });
    return h('form', { class: 'inline state-form', 'data-campaign': k.campaign_id, onsubmit: async (ev) => {
      ev.preventDefault();
      msg.replaceChildren();
      try {
        await api('POST', '/outreach/creators/' + k.creator_id + '/state',
          { json: { campaign: k.campaign_id, state: sel.value } });
        reload();
      } catch (e) {
        msg.replaceChildren(error_box(e));
      }
    } }, h('label', { for: 'st-' + k.partnership_id, class: 'sr-only' }, 'New state'), sel,
    h('button', { type: 'submit' }, 'Move'), msg);
  }

  function note_form(c, mine, reload) {
    const { h, api, error_box } = X();
    const s = X().session();
    const text = h('textarea', { id: 'note-text', name: 'text', rows: '3', required: true });
    const camp = h('select', { id: 'note-campaign', name: 'campaign' }, h('option', { value: '' }, 'No campaign'),
      mine.map((k) => h('option', { value: String(k.campaign_id) }, k.campaign)));
    const msg = h('div', { 'aria-live': 'polite' });
    if (!s || s.role === 'reviewer') return null;
    return h('section', { class: 'card', 'aria-labelledby': 'note-h' }, h('h2', { id: 'note-h' }, 'Add a note'),
      h('form', { id: 'note-form', class: 'stack', onsubmit: async (ev) => {
        ev.preventDefault();
        msg.replaceChildren();
        try {
          const body = { text: text.value };
          if (camp.value) body.campaign = Number(camp.value);
          await api('POST', '/outreach/creators/' + c.id + '/notes', { json: body });
          reload();
        } catch (e) {
          msg.replaceChildren(error_box(e));
        }
      } }, h('label', { for: 'note-text' }, 'Note', text), h('label', { for: 'note-campaign' }, 'Campaign', camp),
      h('div', {}, h('button', { type: 'submit' }, 'Add note')), msg));
  }

  function optout_box(c, mine, reload) {
    const { h, api, error_box } = X();
    const out = mine.length > 0 && mine.every((k) => k.state === 'opted-out');
    const msg = h('div', { 'aria-live': 'polite' });
    if (!can_write()) return null;
    return h('section', { class: 'card', 'aria-labelledby': 'oo-h' }, h('h2', { id: 'oo-h' }, 'Opt-out'),
      out ? h('p', { id: 'optout-status' }, 'Opted out: crest sends this creator nothing, ever.')
        : h('div', {}, h('p', { class: 'muted' }, 'Opting out is permanent: every sequence stops and queued messages are dropped.'),
          h('button', { type: 'button', id: 'optout', class: 'danger', onclick: async () => {
            if (!window.confirm('Opt @' + c.handle + ' out of all outreach, for good?')) return;
            try {
              await api('POST', '/outreach/creators/' + c.id + '/optout', { json: { } });
              reload();
            } catch (e) {
              msg.replaceChildren(error_box(e));
            }
          } }, 'Opt out')), msg);
  }
})();
