// The accessible lesson player: the open lesson in HTML beside the canvas (title, progress, the
// step's text, predict and quiz choices, task, wait and goal status, hints and "Show me",
// Back/Next) and a keyboard-operable list of the world's machines with their actions. It is the
// web's lesson player: at start it asks the lab to leave its own lesson pane empty
// (ui.lesson_panel where=page) and sits in that place. Content comes from the core's lesson runner
// through the ui.lesson hook — text already rendered to escaped HTML by the core, never
// parsed here — and every action goes through the same hooks and Commands as the lab's own
// controls (ui.answer, ui.solution, ui.next, ui.lesson_step, crash, restart, ...).
'use strict';
(function () {
  const $ = (id) => document.getElementById(id);
  const POLL_MS = 250;
  const panel = $('lesson-panel');
  const lp = { last: '', lastNodes: '', lessonKey: '', step: 0, complete: false, data: null };
  window.topolabLessonPanel = lp;   // for tests and the curious

  const cmd = (c) => window.Module.topolab.command(c);
  function el(tag, attrs, ...kids) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === 'html') e.innerHTML = v;           // HTML rendered and escaped by the core (to_html)
      else if (k === 'text') e.textContent = v;
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else if (v !== false && v !== null && v !== undefined) e.setAttribute(k, v === true ? '' : v);
    }
    for (const k of kids) if (k !== null && k !== undefined && k !== false) e.append(k);
    return e;
  }
  // Re-rendering a part keeps the keyboard focus on the control with the same data-key.
  function replace(container, nodes) {
    const a = document.activeElement;
    const key = a && container.contains(a) ? a.getAttribute('data-key') : null;
    container.replaceChildren(...nodes.filter(Boolean));
    if (key) {
      const again = container.querySelector(`[data-key="${CSS.escape(key)}"]`);
      if (again && !again.disabled) again.focus({ preventScroll: true });
      else (lp.data ? $('lp-step-title') : $('lp-title')).focus({ preventScroll: true });
    }
  }
  // The gate states in words (the marks ✓ ✗ … too: never colour alone), translated where shown.
  const STATUS = { done: 'done', missed: 'missed', active: 'in progress', pending: 'not yet', none: '' };
  void [t('done'), t('missed'), t('in progress'), t('not yet')];   // for scripts/i18n
  function gate(kind, g) {
    return el('p', { class: `gate gate-${g.status}` },
      el('span', { class: 'gate-mark', text: (g.status === 'done' ? '✓ ' : g.status === 'missed' ? '✗ ' : '… ') + (STATUS[g.status] ? t(STATUS[g.status]) : '') }),
      ' ', el('strong', { text: kind + ':' }), ' ', el('span', { html: g.text }));
  }
  function act(c) {
    const r = cmd(c);
    if (r && !r.ok) $('lp-feedback').textContent = r.error;
    poll(true);
    return r;
  }

  function renderLesson(L) {
    $('lp-eyebrow').textContent = t('Lesson');
    $('lp-title').textContent = L.title;
    const pct = Math.round(100 * (L.complete ? 1 : (L.step - 1) / Math.max(1, L.steps)));
    $('lp-progress-text').textContent = L.complete ? TopolabI18n.fmt(tn('All %d step done', 'All %d steps done', L.steps), L.steps)
      : TopolabI18n.fmt(t('Step %d of %d'), L.step, L.steps);
    const bar = $('lp-progress');
    bar.setAttribute('aria-valuenow', String(pct));
    bar.setAttribute('aria-valuetext', $('lp-progress-text').textContent);
    bar.firstElementChild.style.width = pct + '%';
    const parts = [];
    if (L.complete) {
      $('lp-step-title').textContent = t('Lesson complete. Well done!');
      parts.push(el('p', { text: t('Pick another lesson from the Lessons button, or keep experimenting with this world.') }));
      replace($('lp-body'), parts);
      $('lp-back').disabled = true;
      $('lp-next').disabled = true;
      $('lp-next').textContent = t('Next');
      return;
    }
    $('lp-step-title').textContent = L.step_title || TopolabI18n.fmt(t('Step %d'), L.step);
    parts.push(el('div', { class: 'lp-text', html: L.html }));
    if (L.predict) {
      const p = L.predict;
      const sec = el('section', { class: 'lp-box', 'aria-labelledby': 'lp-predict-h' },
        el('h3', { id: 'lp-predict-h', text: t('Predict') }), el('p', { id: 'lp-predict-q', html: p.question }));
      if (p.answer < 0) {
        const group = el('div', { role: 'group', 'aria-labelledby': 'lp-predict-q', class: 'choices' });
        p.choices.forEach((c, i) => group.append(el('button', { type: 'button', class: 'choice', 'data-key': 'p' + i, html: c.html,
          onclick: () => act({ op: 'ui.answer', step: L.step, choice: i }) })));
        sec.append(group);
      } else {
        const ul = el('ul', { class: 'answers' });
        p.choices.forEach((c, i) => {
          const tags = [];
          if (i === p.answer) tags.push('your prediction');
          if (i === p.outcome) tags.push('what happened');
          ul.append(el('li', { class: i === p.answer ? 'picked' : '' }, el('span', { html: c.html }),
            tags.length ? el('strong', { class: 'tag', text: ' (' + tags.join(', ') + ')' }) : null,
            c.explain ? el('p', { class: 'explain', html: c.explain }) : null));
        });
        sec.append(ul);
        if (p.outcome < 0) sec.append(el('p', { class: 'muted', text: t('Watching what the simulation does…') }));
      }
      for (const h of p.hints || []) sec.append(el('p', { class: 'hint' }, el('strong', { text: t('Hint:') + ' ' }), el('span', { html: h })));
      parts.push(sec);
    }
    if (L.task) {
      const task = L.task;
      const sec = el('section', { class: 'lp-box', 'aria-labelledby': 'lp-task-h' },
        el('h3', { id: 'lp-task-h', text: t('Your turn') }), gate(t('Task'), { status: task.status, text: task.prompt }));
      for (const h of task.hints) sec.append(el('p', { class: 'hint' }, el('strong', { text: t('Hint:') + ' ' }), el('span', { html: h })));
      if (task.show_me) sec.append(el('button', { type: 'button', 'data-key': 'showme', text: t('Show me'),
        onclick: () => act({ op: 'ui.solution' }) }));
      parts.push(sec);
    }
    if (L.wait) parts.push(gate(t('Waiting'), L.wait));
    if (L.goal) {
      const pctg = Math.round(100 * (L.goal.status === 'done' ? 1 : L.goal.progress));
      parts.push(gate(t('Goal'), L.goal));
      parts.push(el('div', { class: 'bar small', role: 'progressbar', 'aria-label': t('Goal progress'), 'aria-valuemin': '0',
        'aria-valuemax': '100', 'aria-valuenow': String(pctg) }, el('div', { style: `width:${pctg}%` })));
      for (const h of L.goal.hints || []) parts.push(el('p', { class: 'hint' }, el('strong', { text: t('Hint:') + ' ' }), el('span', { html: h })));
    }
    if (L.quiz) {
      const q = L.quiz;
      const form = el('form', { class: 'lp-box quiz', 'aria-labelledby': 'lp-quiz-h',
        onsubmit: (e) => {
          e.preventDefault();
          const picked = form.querySelector('input[name="quiz"]:checked');
          if (picked) act({ op: 'ui.answer', step: L.step, choice: Number(picked.value) });
          else $('lp-feedback').textContent = t('Pick an answer first.');
        } });
      const fs = el('fieldset', {}, el('legend', { html: q.question }));
      q.choices.forEach((c, i) => {
        const id = `lp-q${i}`;
        fs.append(el('div', { class: 'radio' },
          el('input', { type: 'radio', name: 'quiz', id, value: String(i), 'data-key': 'q' + i, checked: i === q.answer }),
          el('label', { for: id, html: c.html })));
      });
      form.append(el('h3', { id: 'lp-quiz-h', text: t('Quiz') }), fs,
        el('button', { type: 'submit', 'data-key': 'qcheck', text: q.answer < 0 ? t('Check answer') : t('Check again') }));
      const fb = q.choices[q.answer];
      if (fb) form.append(el('p', { class: 'feedback ' + (fb.correct ? 'right' : 'wrong') },
        el('strong', { text: (fb.correct ? t('Right.') : t('Not quite.')) + ' ' }), el('span', { html: fb.explain || '' })));
      parts.push(form);
    }
    for (const f of L.failures) parts.push(el('p', { class: 'gate gate-missed', text: f }));
    // A quiz choice picked but not yet checked survives the re-render.
    const pending = $('lp-body').querySelector('input[name="quiz"]:checked');
    const keep = pending && L.quiz && L.quiz.answer < 0 ? pending.value : null;
    replace($('lp-body'), parts);
    if (keep !== null) { const r = $('lp-body').querySelector(`input[name="quiz"][value="${keep}"]`); if (r) r.checked = true; }
    $('lp-back').disabled = !L.can_back;
    $('lp-next').disabled = !L.step_complete;
    $('lp-next').textContent = L.last ? t('Finish') : t('Next');
  }

  // The roles and states the models report, for scripts/i18n (shown through t() below).
  void [t('leader'), t('follower'), t('candidate'), t('client'), t('server'), t('primary'), t('backup'), t('replica'),
    t('crashed'), t('restarting')];
  function renderNodes(s) {
    const nodes = (s && s.nodes) || [];
    const key = JSON.stringify(nodes.map((n) => [n.name, n.role, n.status, n.cpu_speed, n.p_role || '', n.p_term || '']));
    if (key === lp.lastNodes) return;
    lp.lastNodes = key;
    const items = nodes.map((n) => {
      // "follower in term 2" reads better than the model's name ("raft"); a client is a client.
      const role = n.p_role ? (n.p_term !== undefined ? TopolabI18n.fmt(t('%s in term %s'), t(n.p_role), n.p_term) : t(n.p_role)) : t(n.role);
      const b = (label, c, k) => el('button', { type: 'button', class: 'small', 'data-key': `${k}-${n.name}`, onclick: () => act(c) },
        label, el('span', { class: 'visually-hidden', text: ' ' + n.name }));
      return el('li', { class: `node node-${n.status}` },
        el('span', { class: 'node-name', text: n.name }),
        el('span', { class: 'node-state', text: role + ', ' + (n.status === 'up' ? t('up') : t(n.status).toUpperCase()) + (n.cpu_speed < 0.999 ? ', ' + t('slowed') : '') }),
        el('span', { class: 'node-actions' },
          n.status === 'up' ? b(t('Crash'), { op: 'crash', node: n.name }, 'crash') : b(t('Restart'), { op: 'restart', node: n.name }, 'restart'),
          n.cpu_speed > 0.999 ? b(t('Slow down'), { op: 'slow', node: n.name, factor: 10 }, 'slow')
            : b(t('Normal speed'), { op: 'slow', node: n.name, factor: 1 }, 'speed'),
          b(t('Isolate'), { op: 'partition', groups: n.name }, 'isolate')));
    });
    items.push(el('li', { class: 'node' }, el('button', { type: 'button', class: 'small', 'data-key': 'heal', text: t('Heal all partitions'),
      onclick: () => act({ op: 'heal' }) })));
    replace($('lp-nodes'), items);
  }

  // "All actions": every action of the world (ui.actions: the model's own first) as a form with
  // one labelled control per parameter, so that what the lab's Tools tab and canvas menus do
  // (scale, deploy, a breaker, a partition, a model's own action...) works from the keyboard too.
  let actions = [];
  function nodeNames() {
    try { return (window.Module.topolab.state().nodes || []).map((n) => n.name); } catch (e) { return []; }
  }
  function renderParams() {
    const a = actions.find((x) => x.op === $('lp-action').value);
    $('lp-action-help').textContent = a ? a.help : '';
    const names = nodeNames();
    const rows = (a ? a.params : []).map((p) => {
      const id = `lp-arg-${p.name}`;
      const label = p.required ? p.name : TopolabI18n.fmt(t('%s (optional)'), p.name);
      const help = el('span', { id: id + '-help', class: 'muted', text: p.help });
      if (p.type === 'node') {
        const sel = el('select', { id, name: p.name, 'aria-describedby': id + '-help' },
          p.required ? null : el('option', { value: '', text: t('(none)') }), ...names.map((n) => el('option', { value: n, text: n })));
        return el('div', { class: 'param' }, el('label', { for: id, text: label }), sel, help);
      }
      if (p.type === 'nodes') {
        return el('fieldset', { class: 'param', 'aria-describedby': id + '-help' }, el('legend', { text: label }),
          ...names.map((n) => el('label', { class: 'check' }, el('input', { type: 'checkbox', name: p.name, value: n }), ' ' + n)), help);
      }
      if (p.type === 'bool') {
        return el('div', { class: 'param' }, el('input', { type: 'checkbox', id, name: p.name, checked: true, 'aria-describedby': id + '-help' }),
          el('label', { for: id, text: ' ' + label }), help);
      }
      // The parameter's declared unit, range and default (ui.actions), else what its type implies.
      const parts = [p.unit || (p.type === 'duration' ? 'ms' : ''), p.range || (p.type === 'prob' ? '0 to 1' : ''),
        p.default ? 'default ' + p.default : '', p.type === 'groups' ? 'e.g. n1,n2|n3,n4,n5' : ''].filter((x) => x);
      const hint = parts.length ? ' (' + parts.join(', ') + ')' : '';
      return el('div', { class: 'param' }, el('label', { for: id, text: label + hint }),
        el('input', { type: 'text', id, name: p.name, autocomplete: 'off', 'aria-describedby': id + '-help' }), help);
    });
    $('lp-params').replaceChildren(...rows);
  }
  function loadActions() {
    let r = null;
    try { r = cmd({ op: 'ui.actions' }); } catch (e) { r = null; }
    actions = (r && r.ok && r.actions) || [];
    const keep = $('lp-action').value;
    $('lp-action').replaceChildren(...actions.map((a) => el('option', { value: a.op, text: a.op })));
    if (actions.some((a) => a.op === keep)) $('lp-action').value = keep;
    renderParams();
  }
  $('lp-action').addEventListener('change', renderParams);
  $('lp-actions').addEventListener('submit', (e) => {
    e.preventDefault();
    const a = actions.find((x) => x.op === $('lp-action').value);
    if (!a) return;
    const c = { op: a.op };
    for (const p of a.params) {
      if (p.type === 'nodes') {
        const on = [...$('lp-params').querySelectorAll(`input[name="${p.name}"]:checked`)].map((i) => i.value);
        if (on.length) c[p.name] = on.join(',');
      } else if (p.type === 'bool') {
        c[p.name] = $(`lp-arg-${p.name}`).checked ? 'true' : 'false';
      } else {
        const v = $(`lp-arg-${p.name}`).value.trim();
        if (v !== '') c[p.name] = v;
      }
    }
    const r = cmd(c);
    $('lp-action-msg').textContent = r && r.ok ? TopolabI18n.fmt(t('Done: %s.'), a.op) : TopolabI18n.fmt(t('Refused: %s'), (r && r.error) || t('unknown error'));
    poll(true);
  });

  function place(r) {
    const p = r.pane;
    if (!p || !(p.w > 0)) return;
    panel.style.left = p.x + 'px';
    panel.style.top = p.y + 'px';
    panel.style.width = p.w + 'px';
    panel.style.height = p.h + 'px';
  }

  // Free play: no lesson, the panel is the machines and the actions of the world.
  function renderFreePlay(scenario) {
    $('lp-eyebrow').textContent = t('Free play');
    $('lp-title').textContent = scenario;
    $('lp-progress-text').textContent = t('No lesson open. Pick one from the Lessons button, or act on the world below.');
  }

  function poll(force) {
    if (!window.Module || !window.Module.topolab) return;
    const catalogue = !$('catalogue').classList.contains('hidden');
    let r = null;
    // The lab app exists once its first frame ran (after topolab-ready): from then on the page
    // draws the lesson player and the lab leaves its place.
    if (!lp.claimed) {
      try { lp.claimed = !!cmd({ op: 'ui.lesson_panel', where: 'page' }).ok; } catch (e) { lp.claimed = false; }
    }
    try { r = cmd({ op: 'ui.lesson' }); } catch (e) { return; }
    if (!r || !r.ok) return;
    const L = r.lesson;
    const on = !catalogue && !!r.pane && r.pane.w > 0;
    panel.classList.toggle('hidden', !on);
    lp.data = L;
    if (!on) { lp.last = ''; lp.lastNodes = ''; return; }
    place(r);
    for (const id of ['lp-progress', 'lp-step', 'lp-nav']) $(id).classList.toggle('hidden', !L);
    const key = JSON.stringify(L) + r.scenario;
    const lessonKey = L ? `${L.id}|${L.file}` : 'free|' + r.scenario;
    const stepChanged = lessonKey !== lp.lessonKey || (L && (L.step !== lp.step || (L.complete && !lp.complete)));
    if (key !== lp.last || force) {
      lp.last = key;
      if (L) renderLesson(L); else renderFreePlay(r.scenario);
    }
    let s = null;
    try { s = window.Module.topolab.state(); } catch (e) { s = null; }
    renderNodes(s);
    if (lessonKey !== lp.lessonKey || !actions.length) loadActions();
    if (stepChanged) {
      const a = document.activeElement;
      const fresh = lessonKey !== lp.lessonKey;
      lp.lessonKey = lessonKey;
      lp.step = L ? L.step : 0;
      lp.complete = !!(L && L.complete);
      $('lp-feedback').textContent = '';
      // A new step: the keyboard goes to its title (read out first), unless it is elsewhere in
      // the page (the canvas or a page control) on purpose.
      const target = L ? $('lp-step-title') : $('lp-title');
      if (panel.contains(a) || (fresh && L && (a === document.body || a === $('canvas')))) target.focus({ preventScroll: true });
    }
  }

  // Another language: every word of the panel again (the lesson's own text comes translated).
  window.addEventListener("topolab-language", () => { lp.last = ""; lp.lastNodes = ""; actions = []; poll(true); });

  $('lp-back').addEventListener('click', () => {
    const L = lp.data;
    if (L && L.step > 1) act({ op: 'ui.lesson_step', step: L.complete ? L.steps : L.step - 1 });
  });
  $('lp-next').addEventListener('click', () => act({ op: 'ui.next' }));
  // Keys typed in the panel belong to it, not to the lab (SDL listens on window).
  for (const type of ['keydown', 'keyup', 'keypress']) panel.addEventListener(type, (e) => e.stopPropagation());
  // F6 moves between the lab's canvas and the lesson player.
  window.addEventListener('keydown', (e) => {
    if (e.key !== 'F6' || panel.classList.contains('hidden')) return;
    e.preventDefault();
    e.stopPropagation();
    if (panel.contains(document.activeElement)) $('canvas').focus();
    else (lp.data ? $('lp-step-title') : $('lp-title')).focus();
  }, true);

  window.addEventListener('topolab-ready', () => {
    poll(true);
    setInterval(() => poll(false), POLL_MS);
  });
})();
