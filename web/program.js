/* crest web app: the Program page (#/program, issue 9) - workflow map with a quick time-log
 * form, pilots with their reports, the iteration calendar and reviews, training status, the
 * escalation queue with overrides and escalations, and the audit log. Uses the helpers app.js hands over as
 * window.crest_ui; builds its DOM with h(), which only ever sets text. An override without the
 * authority is refused by the server (403), and the page shows that refusal; escalating to
 * someone without the authority either is refused too (400, naming "to"). */
'use strict';

window.crest_program = function (ui) {
  const { h, api, show, error_box, current, fmt_num } = ui;

  function table(id, head, rows) {
    return h('table', { id },
      h('thead', {}, h('tr', {}, head.map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, rows));
  }

  function n2(v) { return v === null || v === undefined ? '–' : Number(v).toFixed(2); }

  function workflow_section(d, reload) {
    const stages = d.workflow.map((w) => w.stage);
    const stage = h('select', { id: 'tl-stage', name: 'stage' },
      stages.map((s) => h('option', { value: s }, s)));
    const minutes = h('input', { id: 'tl-minutes', name: 'minutes', type: 'number', min: '0.1',
      step: '0.1', required: true });
    const errors = h('input', { id: 'tl-errors', name: 'errors', type: 'number', min: '0',
      step: '1', value: '0' });
    const task = h('input', { id: 'tl-task', name: 'task', type: 'text' });
    const tool = h('input', { id: 'tl-tool', name: 'with_tool', type: 'checkbox' });
    const msg = h('div', { 'aria-live': 'polite' });
    const form = h('form', { id: 'timelog-form', class: 'stack', onsubmit: async (ev) => {
      ev.preventDefault();
      msg.replaceChildren();
      try {
        await api('POST', '/program/timelogs', { json: { stage: stage.value,
          minutes: Number(minutes.value), errors: Number(errors.value || 0),
          task: task.value || null, with_tool: tool.checked } });
        reload();
      } catch (e) {
        msg.replaceChildren(error_box(e));
      }
    } },
    h('label', { for: 'tl-stage' }, 'Stage', stage),
    h('label', { for: 'tl-minutes' }, 'Minutes', minutes),
    h('label', { for: 'tl-errors' }, 'Errors found', errors),
    h('label', { for: 'tl-task' }, 'Task', task),
    h('label', { for: 'tl-tool' }, tool, ' done with the AI tool'),
    h('div', {}, h('button', { type: 'submit' }, 'Log time')), msg);
    return h('section', { class: 'card', 'aria-labelledby': 'wf-h' },
      h('h2', { id: 'wf-h' }, 'Workflow map'),
      h('p', { class: 'muted' }, 'Stages ranked by minutes × (1 + errors per task): the top ones are where AI pays off first.'),
      table('workflow', ['Rank', 'Stage', 'Tasks', 'Minutes', 'Errors', 'Score'],
        d.workflow.map((w) => h('tr', {}, h('td', {}, w.rank || '–'), h('td', {}, w.stage),
          h('td', {}, fmt_num(w.tasks)), h('td', {}, fmt_num(Math.round(w.minutes))),
          h('td', {}, fmt_num(w.errors)), h('td', {}, fmt_num(Math.round(w.score)))))),
      h('h3', {}, 'Log a task'), form);
  }

  function report_view(r) {
    const t = r.time_saved;
    const b = r.business_case;
    return h('div', { class: 'stack', id: 'pilot-report' },
      h('p', {}, h('strong', {}, n2(t.minutes_saved) + ' minutes saved per task'),
        ' (95% bootstrap interval ' + n2(t.interval95[0]) + ' to ' + n2(t.interval95[1]) +
        '; ' + t.baseline_tasks + ' baseline and ' + t.pilot_tasks + ' pilot tasks)'),
      table('pilot-quality', ['Measure', 'Baseline', 'Pilot', 'Change'],
        r.quality.measures.map((m) => h('tr', {}, h('td', {}, m.name), h('td', {}, n2(m.baseline)),
          h('td', {}, n2(m.pilot)), h('td', {}, n2(m.change))))),
      h('p', {}, 'Active users per week: ' +
        r.adoption.weeks.map((w) => w.active_users).join(', ') + '; ' +
        r.adoption.tasks_without_tool + ' tasks done without the tool during the pilot.'),
      h('p', {}, 'Business case: ' + n2(b.hours_saved) + ' hours saved, worth ' +
        fmt_num(Math.round((b.value_minor || 0) / 100)) + ' ' + b.currency + ' against a cost of ' +
        fmt_num(Math.round(b.cost_minor / 100)) + ' ' + b.currency + '.'));
  }

  function pilots_section(d) {
    const out = h('div', { 'aria-live': 'polite' });
    return h('section', { class: 'card', 'aria-labelledby': 'pilots-h' },
      h('h2', { id: 'pilots-h' }, 'Pilots'),
      d.pilots.length === 0 ? h('p', { class: 'muted' }, 'No pilot yet: crest pilot start STAGE --days 30.')
        : table('pilots', ['Pilot', 'Stage', 'Days', 'From', 'Until', ''],
          d.pilots.map((p) => h('tr', {}, h('td', {}, p.id), h('td', {}, p.stage),
            h('td', {}, p.days), h('td', {}, p.from), h('td', {}, p.until),
            h('td', {}, h('button', { type: 'button', class: 'link', onclick: async () => {
              try {
                const r = await api('GET', '/program/pilots/' + p.id + '/report');
                out.replaceChildren(report_view(r.body));
              } catch (e) {
                out.replaceChildren(error_box(e));
              }
            } }, 'Report'))))),
      out);
  }

  function calendar_section(d) {
    return h('section', { class: 'card', 'aria-labelledby': 'cal-h' },
      h('h2', { id: 'cal-h' }, 'Iteration reviews'),
      d.calendar.length ? table('calendar', ['Review', 'Due', 'Cadence'],
        d.calendar.map((c) => h('tr', {}, h('td', {}, c.review), h('td', {}, c.due),
          h('td', {}, c.cadence)))) : h('p', { class: 'muted' }, 'The calendar starts with the first pilot.'),
      h('h3', {}, 'Reviews held'),
      d.reviews.length === 0 ? h('p', { class: 'muted' }, 'No review yet: crest iteration open.') :
      table('reviews', ['Review', 'Due', 'Status', 'Changes', 'Stale sources', 'Drift'],
        d.reviews.map((r) => h('tr', {}, h('td', {}, r.id), h('td', {}, r.due),
          h('td', {}, r.status),
          h('td', {}, r.changes.map((c) => c.kind + ': ' + c.description).join('; ') || '–'),
          h('td', {}, String((r.prep.stale_sources || []).length)),
          h('td', {}, r.prep.drift && r.prep.drift.drifted ? 'yes' : 'no')))));
  }

  function training_section(d) {
    return h('section', { class: 'card', 'aria-labelledby': 'tr-h' },
      h('h2', { id: 'tr-h' }, 'Training and authority'),
      table('training', ['Person', 'Area', 'Status', 'Updated'],
        d.training.map((t) => h('tr', {}, h('td', {}, t.user), h('td', {}, t.area),
          h('td', {}, t.status), h('td', {}, t.updated)))),
      table('authority', ['Recommendation', 'Role', 'Needs training'],
        d.authority.map((a) => h('tr', {}, h('td', {}, a.kind), h('td', {}, a.role),
          h('td', {}, a.training)))));
  }

  function queue_section(d, reload) {
    const open = d.recommendations.filter((r) => r.status === 'open' || r.status === 'escalated');
    return h('section', { class: 'card', 'aria-labelledby': 'q-h' },
      h('h2', { id: 'q-h' }, 'Escalation queue'),
      open.length === 0 ? h('p', { class: 'muted' }, 'No open recommendation.')
        : h('ul', { class: 'stack', id: 'queue' }, open.map((r) => {
          const value = h('input', { name: 'value', id: 'ov-value-' + r.id, required: true });
          const reason = h('input', { name: 'reason', id: 'ov-reason-' + r.id, required: true });
          const to = h('input', { name: 'to', id: 'es-to-' + r.id, type: 'email', required: true,
            placeholder: 'name@example.com' });
          const why = h('input', { name: 'reason', id: 'es-why-' + r.id });
          const msg = h('div', { 'aria-live': 'polite' });
          return h('li', { 'data-id': r.id },
            h('strong', {}, r.kind), ' ', r.subject, ': ', r.value,
            r.detail ? ' (' + r.detail + ')' : '',
            r.status === 'escalated' ? ' – escalated to ' + r.escalated_to : '',
            h('form', { class: 'inline override-form', onsubmit: async (ev) => {
              ev.preventDefault();
              msg.replaceChildren();
              try {
                await api('POST', '/program/recommendations/' + r.id + '/override',
                  { json: { value: value.value, reason: reason.value } });
                reload();
              } catch (e) {
                msg.replaceChildren(error_box(e));
              }
            } },
            h('label', { for: 'ov-value-' + r.id }, 'Override with', value),
            h('label', { for: 'ov-reason-' + r.id }, 'Reason', reason),
            h('button', { type: 'submit' }, 'Override')),
            // without the authority: hand it to someone who has it (the server checks that they do)
            h('form', { class: 'inline escalate-form', onsubmit: async (ev) => {
              ev.preventDefault();
              msg.replaceChildren();
              try {
                await api('POST', '/program/recommendations/' + r.id + '/escalate',
                  { json: { to: to.value, reason: why.value || null } });
                reload();
              } catch (e) {
                msg.replaceChildren(error_box(e));
              }
            } },
            h('label', { for: 'es-to-' + r.id }, 'Escalate to', to),
            h('label', { for: 'es-why-' + r.id }, 'Why (optional)', why),
            h('button', { type: 'submit' }, 'Escalate')), msg);
        })));
  }

  function audit_section(d) {
    const a = d.audit;
    return h('section', { class: 'card', 'aria-labelledby': 'au-h' },
      h('h2', { id: 'au-h' }, 'Audit log'),
      a.ok ? h('p', { id: 'audit-status' }, a.entries + ' entries; hash chain verified.')
        : h('div', { class: 'error', role: 'alert', id: 'audit-status' },
          'The audit log was altered: entry ' + a.first_bad + ' does not match its hash chain.'),
      table('audit', ['#', 'When', 'Who', 'What', 'Before', 'After', 'Why'],
        a.recent.map((e) => h('tr', {}, h('td', {}, e.id), h('td', {}, e.at), h('td', {}, e.actor),
          h('td', {}, e.action + (e.kind ? ' ' + e.kind : '')), h('td', {}, e.before || '–'),
          h('td', {}, e.after || '–'), h('td', {}, e.reason || '–')))));
  }

  function load() {
    api('GET', '/program').then(current((r) => {
      const d = r.body;
      show(h('h1', {}, 'Program'),
        h('div', { class: 'grid2' }, workflow_section(d, load), pilots_section(d)),
        h('div', { class: 'grid2' }, queue_section(d, load), training_section(d)),
        calendar_section(d), audit_section(d));
    }), current((e) => show(h('h1', {}, 'Program'), error_box(e))));
  }

  show(h('h1', {}, 'Program'), h('p', { class: 'muted' }, 'Loading…'));
  load();
};
