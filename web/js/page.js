// The page around the lab: the lesson catalogue (from lessons/index.json, with each lesson's
// saved completion), deep links (?lesson=ID&step=N, ?lesson_url=URL, ?scenario=NAME, &seed=N and
// a shared command log in #log=...), teacher lesson files (file picker and drag-and-drop, errors
// as file:line:col: message while the last good lesson keeps running), progress kept in
// localStorage and restored on reload, the "share this moment" link, and the offline service
// worker. It talks to the lab only through Module.topolab.state() / .command() (docs/hooks.md).
'use strict';
(function () {
  const $ = (id) => document.getElementById(id);
  const Store = window.TopolabStore, Links = window.TopolabLinks;
  const POLL_MS = 1000;

  const page = {
    lessons: null,        // the bundled catalogue (array), null until loaded
    indexError: '',       // why the catalogue could not be loaded
    current: null,        // what the lab shows: {kind: 'bundled'|'url'|'file'|'scenario'|'shared', id, url, name, title}
    running: false,       // the lab draws frames and answers commands
    started: false,       // the start-up link was handled (catalogue or lab shown)
    lastShareLink: '',
    timings: { navigation_ms: 0, ready_ms: 0, first_frame_ms: 0 },
  };
  window.topolabPage = page;   // for tests and the curious

  // ---- the lab hooks ------------------------------------------------------------------------
  // The page's own calls go straight to the lab; calls from outside (tests, the console) that
  // open a world also bring the lab to the front (see wrapHooks).
  let rawCommand = null;
  const labState = () => window.Module.topolab.state();
  const labCommand = (c) => (rawCommand || window.Module.topolab.command)(c);
  const OPENS_WORLD = new Set(['ui.scenario', 'ui.open_lesson', 'ui.open_lesson_text', 'ui.replay']);
  function wrapHooks() {
    rawCommand = window.Module.topolab.command;
    window.Module.topolab.command = (c) => {
      const r = rawCommand(c);
      let op = null;
      try { op = (typeof c === 'string' ? JSON.parse(c) : c).op; } catch (e) { op = null; }
      if (r && r.ok && OPENS_WORLD.has(op) && page.started) {
        const s = labState();
        page.current = s.lesson ? { kind: 'file', id: s.lesson.id, title: s.lesson.title } : { kind: 'scenario' };
        hideMessage();
        showLab();
      }
      return r;
    };
  }

  // ---- small UI helpers ---------------------------------------------------------------------
  function show(el, on) { el.classList.toggle('hidden', !on); }

  let toastTimer = 0;
  function toast(text, ms = 3500) {
    const box = $('toast');
    box.textContent = text;
    show(box, true);
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => show(box, false), ms);
  }

  /// A problem with a lesson, shown over the lab; `detail` is the lab's own message
  /// (file:line:col: message) in a monospaced block.
  function showMessage(title, text, detail) {
    $('message-title').textContent = title;
    $('message-text').textContent = text || '';
    $('message-detail').textContent = detail || '';
    show($('message-detail'), !!detail);
    show($('message'), true);
  }
  function hideMessage() { show($('message'), false); }

  function catalogueOpen() { return !$('catalogue').classList.contains('hidden'); }

  function showLab() {
    show($('catalogue'), false);
    show($('topbar'), true);
    updateTopbar();
    $('canvas').focus();
  }
  // When the catalogue's title was first painted (Element Timing; the title carries
  // elementtiming="catalogue"): what the learner sees, after the catalogue_ms mark.
  if (window.PerformanceObserver) {
    try {
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) {
          if (e.identifier === 'catalogue' && !page.timings.catalogue_painted_ms) page.timings.catalogue_painted_ms = e.renderTime || e.loadTime;
        }
      }).observe({ type: 'element', buffered: true });
    } catch (e) { /* no Element Timing in this browser: the mark stays unset */ }
  }
  function showCatalogue() {
    // Already open and the learner is in it (shown while the module loaded): keep their place.
    const prev = catalogueOpen() && $('catalogue').contains(document.activeElement) ? document.activeElement : null;
    const prevCard = prev && prev.closest('[data-lesson]');
    const prevLesson = prevCard ? prevCard.getAttribute('data-lesson') : null;
    renderCatalogue();
    show($('cat-close'), !!page.current);
    show($('topbar'), false);
    show($('catalogue'), true);
    if (!page.timings.catalogue_ms) page.timings.catalogue_ms = performance.now();   // built and shown
    if (prev && document.contains(prev)) return;
    // The list was drawn again: back to the same lesson's button.
    const again = prevLesson && Array.from($('catalogue').querySelectorAll('[data-lesson] button'))
      .find((b) => b.closest('[data-lesson]').getAttribute('data-lesson') === prevLesson);
    if (again) { again.focus({ preventScroll: true }); return; }
    const first = !$('continue').classList.contains('hidden') ? $('continue-btn')
      : $('catalogue').querySelector('.lesson button') || $('cat-open');
    first.focus({ preventScroll: true });
  }
  function updateTopbar() {
    const inLesson = !!(page.current && page.current.kind !== 'scenario' && page.current.kind !== 'shared');
    $('btn-reset').disabled = !inLesson;
    $('btn-record').disabled = inLesson && !page.recording;
  }

  // ---- the catalogue ------------------------------------------------------------------------
  // A language's translated lessons (lessons/LANG/index.json, the same ids): their titles and
  // summaries replace the English ones in the catalogue; the lab opens the translation itself.
  page.translated = new Map();   // lang -> Map(id -> entry)
  async function loadTranslations(lang) {
    if (lang === 'en' || page.translated.has(lang)) return page.translated.get(lang) || new Map();
    const m = new Map();
    const info = TopolabI18n.languages().find((l) => l.code === lang);
    if (!info || !info.lessons) { page.translated.set(lang, m); return m; }   // no lessons/LANG/ on this site
    try {
      const r = await fetch('lessons/' + encodeURIComponent(lang) + '/index.json', { cache: 'no-cache' });
      if (r.ok) for (const l of await r.json()) if (l && typeof l.id === 'string') m.set(l.id, l);
    } catch (e) { /* no translations in this language */ }
    page.translated.set(lang, m);
    return m;
  }
  function localized(l) {
    const tr = page.translated.get(TopolabI18n.language());
    const x = tr && tr.get(l.id);
    return x ? Object.assign({}, l, { title: x.title || l.title, summary: x.summary || l.summary, translated: true }) : l;
  }
  async function loadIndex() {
    try {
      // index.html asks for the list first thing (window.topolabIndexRequest), before the module.
      const early = window.topolabIndexRequest;
      window.topolabIndexRequest = null;
      const r = (early && await early) || await fetch('lessons/index.json', { cache: 'no-cache' });
      if (!r.ok) throw new Error('HTTP ' + r.status);
      const data = await r.json();
      const list = Array.isArray(data) ? data : (data && Array.isArray(data.lessons) ? data.lessons : null);
      if (!list) throw new Error('it is not a list of lessons');
      page.lessons = list.filter((l) => l && typeof l.id === 'string');
      await loadTranslations(await TopolabI18n.ready);
    } catch (e) {
      page.lessons = [];
      page.indexError = TopolabI18n.fmt(t('The list of lessons could not be loaded (lessons/index.json: %s).'), e.message);
    }
    if (catalogueOpen()) renderCatalogue();
    return page.lessons;
  }
  const indexReady = loadIndex();

  // The bundled lessons are files next to the page (the module does not carry them): download
  // them while the module downloads, then write them to /lessons in its file system, where the
  // lab's own lesson picker and ui.open_lesson find them.
  const lessonTexts = indexReady.then((list) => Promise.all(list.filter((l) => typeof l.file === 'string' && /^[\w.-]+$/.test(l.file))
    .map((l) => fetch('lessons/' + l.file, { cache: 'no-cache' })
      .then((r) => (r.ok ? r.text() : Promise.reject(new Error('HTTP ' + r.status))))
      .then((text) => ({ file: l.file, text }), (e) => ({ file: l.file, error: e.message })))));
  async function installLessons() {
    const FS = window.Module.FS;
    try { FS.mkdir('/lessons'); } catch (e) { /* already there */ }
    for (const l of await lessonTexts) {
      if (l.error) console.warn('topolab: lesson ' + l.file + ' could not be downloaded: ' + l.error);
      else FS.writeFile('/lessons/' + l.file, l.text);
    }
    await installTranslations(TopolabI18n.language());
  }
  /// The current language's lesson translations, in /lessons/LANG/ where the lab looks for them.
  async function installTranslations(lang) {
    const FS = window.Module && window.Module.FS;
    if (!FS || lang === 'en') return;
    // The lab's own words: the catalogue this page already downloaded, where the module reads it.
    const mo = TopolabI18n.catalogue(lang);
    if (mo) {
      try { FS.mkdir('/locale'); } catch (e) { /* already there */ }
      FS.writeFile('/locale/' + lang + '.mo', mo);
    }
    const list = [...(await loadTranslations(lang)).values()].filter((l) => typeof l.file === 'string' && /^[\w.-]+$/.test(l.file));
    try { FS.mkdir('/lessons/' + lang); } catch (e) { /* already there */ }
    await Promise.all(list.map((l) => fetch('lessons/' + lang + '/' + l.file, { cache: 'no-cache' })
      .then((r) => (r.ok ? r.text() : Promise.reject(new Error('HTTP ' + r.status))))
      .then((text) => FS.writeFile('/lessons/' + lang + '/' + l.file, text),
        (e) => console.warn('topolab: lesson translation ' + lang + '/' + l.file + ': ' + e.message))));
  }
  /// A new language: the page's words now; the lessons' translations and the lab's words too.
  TopolabI18n.onChange(async (lang) => {
    await loadTranslations(lang);
    if (page.running) {
      await installTranslations(lang);
      labCommand({ op: 'ui.language', lang });
    }
    if (catalogueOpen()) renderCatalogue();
    window.dispatchEvent(new Event('topolab-language'));
  });

  function findLesson(id) { return (page.lessons || []).find((l) => l.id === id) || null; }

  function completion(id) {
    const s = Store.summary(id);
    if (!s) return { label: t('Not started'), cls: 'new', frac: 0 };
    if (s.complete) return { label: t('Completed'), cls: 'done', frac: 1 };
    const steps = Math.max(1, s.steps || 1);
    return { label: TopolabI18n.fmt(t('Step %d of %d'), s.step, steps), cls: 'started', frac: Math.min(1, (s.step - 1) / steps) };
  }

  function el(tag, props, ...kids) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(props || {})) {
      if (k === 'class') e.className = v;
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v);
    }
    for (const k of kids) if (k != null) e.append(k);
    return e;
  }

  function renderLanguages() {
    const sel = $('cat-lang');
    const langs = TopolabI18n.languages();
    sel.textContent = '';
    for (const l of langs) sel.append(el('option', { value: l.code }, l.name));
    sel.value = TopolabI18n.language();
    sel.closest('label').classList.toggle('hidden', langs.length < 2);
  }
  $('cat-lang').addEventListener('change', (e) => TopolabI18n.set(e.target.value));
  TopolabI18n.ready.then(renderLanguages);

  // ---- topics: the lessons' tags, translated; picking one filters the list (?topic=TAG links) --
  page.topic = new URL(location.href).searchParams.get('topic') || '';
  $('cat-topic').addEventListener('change', (e) => { page.topic = e.target.value; renderCatalogue(); });

  function renderTopics() {
    const sel = $('cat-topic');
    const all = new Set();
    for (const l of page.lessons || []) for (const tag of l.tags || []) all.add(tag);
    const topics = [...all].sort((a, b) => t(a).localeCompare(t(b)));
    if (page.topic && !all.has(page.topic) && page.lessons) page.topic = '';   // an unknown ?topic= shows everything
    sel.textContent = '';
    sel.append(el('option', { value: '' }, t('All topics')));
    for (const tag of topics) sel.append(el('option', { value: tag }, t(tag)));
    sel.value = page.topic;
    sel.closest('div').classList.toggle('hidden', topics.length < 2);
  }

  function renderCatalogue() {
    renderLanguages();
    renderTopics();
    const list = $('lesson-list');
    list.textContent = '';
    const status = $('cat-status');
    if (!page.lessons) status.textContent = t('Loading the list of lessons…');
    else if (page.indexError) status.textContent = page.indexError + ' You can still open a lesson file or play freely.';
    else if (!page.lessons.length) status.textContent = t('No lessons are bundled with this build.');
    else status.textContent = '';

    const shown = (page.lessons || []).filter((l) => !page.topic || (l.tags || []).includes(page.topic));
    if (page.topic && page.lessons && !page.indexError)
      status.textContent = TopolabI18n.fmt(tn('%d lesson about “%s”', '%d lessons about “%s”', shown.length), shown.length, t(page.topic));
    for (const l of shown.map(localized)) {
      const c = completion(l.id);
      const titleId = 'lesson-title-' + l.id;
      const action = c.cls === 'new' ? t('Start') : c.cls === 'done' ? t('Review') : t('Continue');
      const tags = el('ul', { class: 'tags', 'aria-label': t('Topics') }, ...(l.tags || []).map((tag) => el('li', {}, t(tag))));
      const meta = el('p', { class: 'meta' },
        el('span', { class: 'level level-' + String(l.level || '').toLowerCase() }, l.level ? t(l.level) : ''),
        l.minutes ? el('span', {}, TopolabI18n.fmt(t('%d min'), l.minutes)) : null,
        l.steps ? el('span', {}, TopolabI18n.fmt(tn('%d step', '%d steps', l.steps), l.steps)) : null);
      const bar = el('div', { class: 'mini-bar', 'aria-hidden': 'true' });
      bar.append(el('div', { style: `width:${(100 * c.frac).toFixed(0)}%` }));
      const card = el('li', { class: 'lesson ' + c.cls, 'data-lesson': l.id },
        el('article', { 'aria-labelledby': titleId },
          el('h2', { id: titleId }, l.title || l.id),
          meta,
          el('p', { class: 'summary' }, l.summary || ''),
          tags,
          el('div', { class: 'lesson-foot' },
            el('span', { class: 'state ' + c.cls }, c.cls === 'done' ? '✓ ' + c.label : c.label),
            bar,
            el('button', { type: 'button', class: 'primary', 'aria-describedby': titleId,
              onclick: () => whenRunning(() => openBundled(l.id, {})) }, action))));
      list.append(card);
    }

    const last = Store.last();
    const cont = $('continue');
    if (last && last.kind !== 'file' && (last.kind !== 'bundled' || findLesson(last.id) || !page.lessons)) {
      const s = last.id ? Store.summary(last.id) : null;
      $('continue-title').textContent = last.title || last.id || last.url;
      $('continue-detail').textContent = s ? (s.complete ? t('Completed') : TopolabI18n.fmt(t('Step %d of %d'), s.step, s.steps))
                                             : (last.kind === 'url' ? last.url : '');
      show(cont, true);
    } else {
      show(cont, false);
    }
  }

  // ---- opening lessons ----------------------------------------------------------------------
  function lessonPath(id) {
    const l = findLesson(id);
    return '/lessons/' + (l && l.file ? l.file : id + '.toml');
  }

  /// After a lesson opened: restore its saved progress (unless `fresh`), then go to `step` if the
  /// link asked for another one. Returns the lab's state.
  function afterOpen(step, fresh) {
    let s = labState();
    const id = s.lesson && s.lesson.id;
    const blob = id && !fresh ? Store.progress(id) : null;
    if (blob) {
      const r = labCommand({ op: 'ui.restore_progress', blob });
      if (!r.ok) console.warn('topolab: saved progress not restored:', r.error);
      s = labState();
    }
    if (step && s.lesson && s.lesson.step !== step && step <= s.lesson.steps) {
      const r = labCommand({ op: 'ui.lesson_step', step });
      if (!r.ok) console.warn('topolab: cannot go to step', step, r.error);
      s = labState();
    }
    return s;
  }

  function opened(current, s) {
    page.current = current;
    if (s.lesson) {
      current.id = s.lesson.id;
      current.title = s.lesson.title;
    }
    if (current.kind !== 'shared') Store.setLast({ kind: current.kind, id: current.id, url: current.url, title: current.title });
    hideMessage();
    saveProgress(s);
    syncUrl(s);
    showLab();
  }

  /// Opens a bundled lesson by id. opts: {step, seed, fresh}.
  async function openBundled(id, opts) {
    await indexReady;
    if (page.lessons && page.lessons.length && !findLesson(id)) {
      showMessage(TopolabI18n.fmt(t('There is no lesson called “%s”'), id), t('Pick one from the list of lessons.'));
      if (!page.current) showCatalogue();
      return false;
    }
    const cmd = { op: 'ui.open_lesson', path: lessonPath(id) };
    const haveBlob = !opts.fresh && !!Store.progress(id);
    if (opts.step && !haveBlob) cmd.step = opts.step;
    if (opts.seed != null) cmd.seed = opts.seed;
    const r = labCommand(cmd);
    if (!r.ok) {
      showMessage(TopolabI18n.fmt(t('Could not open the lesson “%s”'), id), t('The lab says:'), r.error);
      if (!page.current) showCatalogue();
      return false;
    }
    opened({ kind: 'bundled', id }, afterOpen(opts.step, opts.fresh));
    return true;
  }

  /// Downloads a teacher-hosted lesson and opens it. opts: {step, seed}.
  async function openUrl(url, opts) {
    let text;
    const name = url.split(/[?#]/)[0].split('/').pop() || 'lesson.toml';
    try {
      const r = await fetch(url, { cache: 'no-cache' });
      if (!r.ok) throw new Error(`the server answered HTTP ${r.status} ${r.statusText}`.trim());
      text = await r.text();
    } catch (e) {
      const cors = e instanceof TypeError ? ' ' + t('If the file is on another server, that server must allow it (CORS: Access-Control-Allow-Origin).') : '';
      showMessage(t('Could not download the lesson'), `${url}: ${e.message}.${cors}`);
      if (!page.current) showCatalogue();
      return false;
    }
    return openText(name, text, { kind: 'url', url }, opts);
  }

  /// Opens lesson text (a downloaded or dropped file). On error the last good lesson keeps running.
  function openText(name, text, current, opts) {
    const cmd = { op: 'ui.open_lesson_text', name, text };
    if (opts.step) cmd.step = opts.step;
    if (opts.seed != null) cmd.seed = opts.seed;
    const r = labCommand(cmd);
    if (!r.ok) {
      const still = page.current ? ' ' + t('The lab keeps running what it showed before.') : '';
      showMessage(t('This lesson file has a problem'), t('Fix it and open it again.') + still, r.error);
      if (!page.current) showCatalogue();
      return false;
    }
    current.name = name;
    opened(current, afterOpen(null, !!opts.fresh));
    return true;
  }

  function openFile(file) {
    if (!file) return;
    if (file.size > 1 << 20) {
      showMessage(t('This file is too big to be a lesson'), TopolabI18n.fmt(t('%s is %s MB; lesson files are small .toml text files.'), file.name, (file.size / 1048576).toFixed(1)));
      return;
    }
    file.text().then((text) => (isReplay(file.name, text) ? openReplay(file.name, text) : openText(file.name, text, { kind: 'file' }, {})),
      (e) => showMessage(t('Could not read the file'), `${file.name}: ${e.message}`));
  }

  /// A replay file (what `topolab-cli chaos` writes for a counterexample, or File > Save replay):
  /// scenario, parameters, seed, command log and the moment to show.
  const isReplay = (name, text) => /\.replay$/i.test(name) || /^(\s*#[^\n]*\n)*\s*scenario\s/.test(text);
  function openReplay(name, text) {
    const r = labCommand({ op: 'ui.open_replay_text', name, text });
    if (!r.ok) {
      const still = page.current ? ' ' + t('The lab keeps running what it showed before.') : '';
      showMessage(t('This replay file has a problem'), t('Fix it and open it again.') + still, r.error);
      if (!page.current) showCatalogue();
      return false;
    }
    page.current = { kind: 'shared', id: null, title: null };
    hideMessage();
    showLab();
    toast(t('A recorded run, paused at its moment: play on to see what followed, or step back with ←.'), 6000);
    return true;
  }

  /// A shared moment: rebuild the world from scenario (or lesson), seed and command log.
  async function openShared(link) {
    let log;
    try { log = await Links.decodeLog(link.log_encoded); } catch (e) {
      showMessage(t('This shared link is damaged'), e.message + '. ' + t('Ask for the link again.'));
      showCatalogue();
      return false;
    }
    // Open the lesson first (for its text and steps), then replay the world.
    if (link.lesson) {
      await indexReady;
      const r = labCommand({ op: 'ui.open_lesson', path: lessonPath(link.lesson), ...(link.step ? { step: link.step } : {}) });
      if (!r.ok) console.warn('topolab: shared lesson not opened:', r.error);
    }
    const cmd = { op: 'ui.replay', seed: link.seed == null ? 1 : link.seed, log };
    if (link.scenario) cmd.scenario = link.scenario;
    if (link.params) cmd.params = link.params;
    if (link.lesson) cmd.lesson = lessonPath(link.lesson);
    if (link.at != null) cmd.time_us = link.at;
    const r = labCommand(cmd);
    if (!r.ok) {
      showMessage(t('Could not replay this shared moment'), t('The lab says:'), r.error);
      if (!page.current) showCatalogue();
      return false;
    }
    const s = labState();
    page.current = { kind: 'shared', id: s.lesson ? s.lesson.id : null, title: s.lesson ? s.lesson.title : null };
    hideMessage();
    showLab();
    toast(t('You are looking at a shared moment: the same world, rebuilt from its seed and commands.'), 6000);
    return true;
  }

  // ---- progress and the address bar ---------------------------------------------------------
  let lastSavedKey = '';
  function saveProgress(s) {
    if (!s || !s.lesson || !page.current || page.current.kind === 'shared') return;
    const l = s.lesson;
    // At step 1 of an unfinished lesson there is nothing to keep (answers are saved per finished
    // step), so a fresh or reset lesson stays "not started" in the catalogue.
    if (l.step <= 1 && !l.complete && !Store.summary(l.id)) return;
    const key = [l.id, l.step, l.complete, s.progress || ''].join('|');
    if (key === lastSavedKey) return;
    lastSavedKey = key;
    Store.save(l.id, s.progress || '', { title: l.title, step: l.step, steps: l.steps, complete: !!l.complete, at: Date.now() });
  }

  /// Keeps the address bar pointing at what is open (so a reload comes back to it).
  function syncUrl(s) {
    const c = page.current;
    if (!c || c.kind === 'shared' || c.kind === 'file') return;
    const u = new URL(location.href);
    u.search = '';
    u.hash = '';
    if (c.kind === 'bundled') u.searchParams.set('lesson', c.id);
    else if (c.kind === 'url') u.searchParams.set('lesson_url', c.url);
    else if (c.kind === 'scenario' && s.scenario) u.searchParams.set('scenario', s.scenario);
    if (s.lesson && c.kind !== 'scenario') u.searchParams.set('step', String(s.lesson.step));
    if (u.href !== location.href) history.replaceState(null, '', u.href);
  }

  // ---- narration: what happens, read out politely ------------------------------------------------
  // The lab narrates in words (state().narration, the same lines as the Event log). New lines are
  // put in an aria-live region at a readable pace: at most one announcement every ANNOUNCE_GAP_MS,
  // several lines at once summarised ("n1 crashed. n3 became leader in term 2. And 3 more changes.").
  const NARRATE_MS = 150;
  const ANNOUNCE_GAP_MS = 700;
  const narration = { lastId: 0, queue: [], lastAt: -1e9, world: '', announced: [] };
  page.narration = narration;   // for tests
  function narrate() {
    if (!page.running || document.hidden) return;
    let s;
    try { s = labState(); } catch (e) { return; }
    if (!s || !s.narration) return;
    // Another world (a new scenario, a lesson, a rewind): start counting again, say nothing old.
    const world = (s.scenario || '') + '/' + (s.seed || '') + '/' + (s.lesson ? s.lesson.id : '');
    const count = s.narration.count || 0;
    if (world !== narration.world || count < narration.lastId) {
      narration.world = world;
      narration.lastId = count;
      narration.queue = [];
      if (s.description) narration.describedId = s.description.id;
      return;
    }
    for (const l of s.narration.lines) {
      if (l.id > narration.lastId) { narration.queue.push(l.text); narration.lastId = l.id; }
    }
    const now = performance.now();
    // "Describe" (D, or the button): the answer to a question the learner asked, read at once.
    if (s.description && s.description.id > (narration.describedId || 0)) {
      narration.describedId = s.description.id;
      const region = document.getElementById('narration');
      if (region) region.textContent = s.description.text;
      narration.lastAt = now;
      narration.announced.push({ at: now, text: s.description.text, asked: true });
      return;
    }
    if (!narration.queue.length || now - narration.lastAt < ANNOUNCE_GAP_MS) return;
    const lines = narration.queue.splice(0);
    let text = lines.slice(0, 3).join('. ') + '.';
    if (lines.length > 3) text += ' And ' + (lines.length - 3) + ' more changes.';
    const region = document.getElementById('narration');
    if (region) region.textContent = text;
    narration.lastAt = now;
    narration.announced.push({ at: now, text });
    if (narration.announced.length > 50) narration.announced.shift();
  }

  function poll() {
    if (!page.running || document.hidden) return;
    let s;
    try { s = labState(); } catch (e) { return; }
    if (!s || s.frames === undefined) return;
    if (s.lesson && page.current && page.current.id && s.lesson.id !== page.current.id && page.current.kind !== 'shared') {
      // The learner opened another lesson from inside the lab (its own menu).
      page.current = { kind: 'file', id: s.lesson.id, title: s.lesson.title };
    }
    saveProgress(s);
    if (!catalogueOpen()) syncUrl(s);
  }

  // ---- share, reset -------------------------------------------------------------------------
  async function copyText(text) {
    try {
      if (navigator.clipboard && window.isSecureContext) { await navigator.clipboard.writeText(text); return true; }
    } catch (e) { /* fall back below */ }
    const ta = el('textarea', { class: 'visually-hidden', readonly: '' });
    ta.value = text;
    document.body.append(ta);
    ta.select();
    let ok = false;
    try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
    ta.remove();
    return ok;
  }

  /// The link that reproduces what is on screen now (also kept in topolabPage.lastShareLink).
  async function shareLink() {
    const s = labState();
    const sh = s.share || {};
    const c = page.current || {};
    const what = { scenario: sh.scenario || s.scenario, seed: sh.seed != null ? sh.seed : s.seed, log: sh.log || '', params: sh.params || '' };
    if (c.kind === 'bundled' || (c.kind === 'shared' && c.id && findLesson(c.id))) what.lesson = c.id;
    else if (c.kind === 'url') what.lesson_url = c.url;
    if (s.lesson && (what.lesson || what.lesson_url)) what.step = s.lesson.step;
    // The moment: the simulated time to run to after replaying the log.
    what.at = sh.time_us != null ? sh.time_us : s.time_us;
    return Links.build(location.href, what);
  }

  async function share() {
    let href;
    try { href = await shareLink(); } catch (e) {
      showMessage(t('Could not make a link'), e.message);
      return;
    }
    page.lastShareLink = href;
    const copied = await copyText(href);
    const fileNote = page.current && page.current.kind === 'file'
      ? ' ' + t('(This lesson came from a file on your computer: the link rebuilds its world, not the lesson text.)') : '';
    toast((copied ? t('Link copied: it opens this exact moment.') : t('Copy this link:') + ' ' + href) + fileNote, 6000);
  }

  function resetProgress() {
    const c = page.current;
    if (!c || !c.id) return;
    if (!window.confirm(TopolabI18n.fmt(t('Forget your progress in “%s”? The lesson starts again at step 1.'), c.title || c.id))) return;
    Store.reset(c.id);
    lastSavedKey = '';
    const r = labCommand({ op: 'ui.reset_progress' });
    if (!r.ok) console.warn('topolab: reset_progress:', r.error);
    const s = labState();
    saveProgress(s);
    syncUrl(s);
    toast(t('Progress reset: the lesson starts again at step 1.'));
  }

  Object.assign(page, { openBundled, openUrl, openText, openFile, shareLink, share, showCatalogue, showLab });

  // ---- start-up -----------------------------------------------------------------------------
  // The catalogue is HTML: it is shown as soon as lessons/index.json is here, while the module
  // still downloads and starts (a small card at the bottom shows its progress). What the learner
  // picks meanwhile waits for the lab and then opens (whenRunning).
  let labRunning = null;
  const running = new Promise((resolve) => { labRunning = resolve; });
  function whenRunning(fn) {
    if (page.started) return fn();
    $('cat-status').textContent = t('Starting the lab… it opens in a moment.');
    return running.then(fn);
  }
  function plainStart() {
    const link = Links.parse(location);
    return !(link.shared || link.lesson || link.lesson_url || link.scenario);
  }
  if (plainStart()) {
    indexReady.then(() => {
      if (page.started || !$('problem').classList.contains('hidden')) return;
      $('loading').classList.add('compact');
      showCatalogue();
    });
  }

  async function start() {
    await installLessons();
    page.running = true;
    labCommand({ op: 'ui.language', lang: TopolabI18n.language() });
    const link = Links.parse(location);
    const bad = (v) => Number.isNaN(v);
    if (bad(link.step) || bad(link.seed) || bad(link.at)) {
      showMessage(t('This link has a mistake'), t('“step” and “seed” must be whole numbers, like ?lesson=…&step=2&seed=7.'));
      for (const k of ['step', 'seed', 'at']) if (bad(link[k])) link[k] = null;
    }
    if (link.shared) await openShared(link);
    else if (link.lesson) await openBundled(link.lesson, { step: link.step, seed: link.seed });
    else if (link.lesson_url) await openUrl(link.lesson_url, { step: link.step, seed: link.seed });
    else if (link.scenario) {
      const r = labCommand({ op: 'ui.scenario', name: link.scenario, ...(link.seed != null ? { seed: link.seed } : {}) });
      if (r.ok) { page.current = { kind: 'scenario' }; showLab(); }
      else { showMessage(TopolabI18n.fmt(t('Could not open the scenario “%s”'), link.scenario), t('The lab says:'), r.error); showCatalogue(); }
    } else {
      await indexReady;
      showCatalogue();
    }
    setInterval(poll, POLL_MS);
    setInterval(narrate, NARRATE_MS);
    // Comfort: a learner who asked the system for less motion gets still particle streams.
    if (window.matchMedia) {
      const rm = window.matchMedia('(prefers-reduced-motion: reduce)');
      const apply = () => labCommand({ op: 'ui.comfort', reduced_motion: rm.matches });
      apply();
      if (rm.addEventListener) rm.addEventListener('change', apply);
    }
    page.started = true;
    labRunning();
    window.dispatchEvent(new Event('topolab-page-ready'));
  }

  /// Waits until the lab has drawn its first frame (the module is initialised a moment before
  /// main(); main() says "topolab-first-frame" when the frame is drawn), then for the browser's
  /// next frame, when the first one is on the screen.
  let labDrew = false;
  window.addEventListener('topolab-first-frame', () => { labDrew = true; });
  function whenLabDraws() {
    return new Promise((resolve) => {
      const next = () => requestAnimationFrame(() => resolve());
      if (labDrew) next();
      else window.addEventListener('topolab-first-frame', next, { once: true });
    });
  }

  window.addEventListener('topolab-ready', () => {
    page.timings.ready_ms = performance.now();
    wrapHooks();
    whenLabDraws().then(() => {
      page.timings.first_frame_ms = performance.now();
      return start();
    }).catch((e) => showMessage(t('Something went wrong while starting'), String(e && e.message || e)));
  });

  // ---- wiring -------------------------------------------------------------------------------
  function pickFile() { $('file-input').value = ''; $('file-input').click(); }
  $('file-input').addEventListener('change', (e) => {
    const f = e.target.files && e.target.files[0];
    whenRunning(() => openFile(f));
  });
  $('btn-open').addEventListener('click', pickFile);
  $('cat-open').addEventListener('click', pickFile);
  $('btn-lessons').addEventListener('click', showCatalogue);
  $('btn-share').addEventListener('click', share);
  $('btn-reset').addEventListener('click', resetProgress);
  // Record a lesson by playing it: the scenario starts again; on Stop, the lesson file downloads.
  function renderRecord() {
    $('btn-record-text').textContent = page.recording ? t('Stop and download the lesson') : t('Record a lesson');
    $('btn-record').setAttribute('aria-pressed', page.recording ? 'true' : 'false');
  }
  $('btn-record').addEventListener('click', () => {
    if (!page.recording) {
      const r = labCommand({ op: 'ui.record_start' });
      if (!r.ok) { toast(r.error, 6000); return; }
      page.recording = true;
      toast(t('Recording: every action from now on becomes a step of the lesson.'), 5000);
    } else {
      const r = labCommand({ op: 'ui.record_stop' });
      page.recording = false;
      if (!r.ok) { toast(r.error, 6000); renderRecord(); return; }
      page.lastRecording = r.text;
      const a = el('a', { href: URL.createObjectURL(new Blob([r.text], { type: 'application/toml' })), download: 'recorded-lesson.toml' });
      document.body.append(a);
      a.click();
      a.remove();
      toast(t('The recorded lesson was downloaded: edit its TODOs, then open it here (Open lesson file).'), 8000);
    }
    renderRecord();
  });
  TopolabI18n.onChange(renderRecord);
  TopolabI18n.ready.then(renderRecord);
  $('message-close').addEventListener('click', () => { hideMessage(); if (!catalogueOpen()) $('canvas').focus(); });
  $('cat-close').addEventListener('click', showLab);
  $('cat-sandbox').addEventListener('click', () => whenRunning(() => {
    if (!page.current || page.current.kind !== 'scenario') page.current = { kind: 'scenario' };
    showLab();
  }));
  $('continue-btn').addEventListener('click', () => whenRunning(() => {
    const last = Store.last();
    if (!last) return;
    if (last.kind === 'url') openUrl(last.url, {});
    else openBundled(last.id, {});
  }));
  $('cat-reset-all').addEventListener('click', () => {
    if (!window.confirm(t('Forget your progress in every lesson?'))) return;
    Store.resetAll();
    lastSavedKey = '';
    renderCatalogue();
    toast(t('All progress was forgotten.'));
  });

  // Keys typed in the page's own controls belong to them, not to the lab (SDL listens on window).
  for (const id of ['catalogue', 'topbar', 'message', 'toast']) {
    for (const type of ['keydown', 'keyup', 'keypress']) {
      $(id).addEventListener(type, (e) => {
        if (type === 'keydown' && e.key === 'Escape') {
          if (id === 'message') { hideMessage(); $('canvas').focus(); }
          else if (id === 'catalogue' && page.current) showLab();
        }
        e.stopPropagation();
      });
    }
  }

  // Drag and drop a lesson file anywhere on the page.
  let dragDepth = 0;
  const hasFiles = (e) => e.dataTransfer && Array.from(e.dataTransfer.types || []).includes('Files');
  window.addEventListener('dragenter', (e) => { if (!hasFiles(e)) return; e.preventDefault(); dragDepth++; show($('dropzone'), true); });
  window.addEventListener('dragover', (e) => { if (!hasFiles(e)) return; e.preventDefault(); e.dataTransfer.dropEffect = 'copy'; });
  window.addEventListener('dragleave', () => { if (--dragDepth <= 0) { dragDepth = 0; show($('dropzone'), false); } });
  window.addEventListener('drop', (e) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    dragDepth = 0;
    show($('dropzone'), false);
    const f = e.dataTransfer.files[0];
    if (!page.started) toast(t('The lab is still loading: the file opens in a moment.'));
    whenRunning(() => openFile(f));
  });

  // Save before the tab goes away (the poll runs once a second).
  window.addEventListener('pagehide', poll);
  document.addEventListener('visibilitychange', () => { if (document.hidden && page.running) { try { saveProgress(labState()); } catch (e) { /* lab stopped */ } } });

  // The canvas follows the window and the device pixel ratio: SDL resizes on 'resize'; a change
  // of devicePixelRatio alone (moving to another screen) fires no resize, so report it as one.
  (function watchDpr() {
    if (!window.matchMedia) return;
    const mq = window.matchMedia(`(resolution: ${window.devicePixelRatio}dppx)`);
    const onChange = () => { window.dispatchEvent(new Event('resize')); watchDpr(); };
    if (mq.addEventListener) mq.addEventListener('change', onChange, { once: true });
  })();

  // ---- offline: the service worker ----------------------------------------------------------
  if ('serviceWorker' in navigator && window.isSecureContext && location.protocol !== 'file:') {
    // A new build's worker takes control of this page (it skips waiting and claims its clients)
    // while the page itself still runs the files of its own build (index.html carries the build,
    // stamped with the site): ask the controlling worker for its build and offer a reload when
    // they differ. Asking on load and on every controller change catches the update the browser
    // starts on navigation, however the two race.
    const pageBuild = (document.querySelector('meta[name="topolab-build"]') || {}).content || 'dev';
    let offered = false;
    const askBuild = () => {
      const c = navigator.serviceWorker.controller;
      if (c && pageBuild !== 'dev') c.postMessage('build?');
    };
    navigator.serviceWorker.addEventListener('message', (e) => {
      const b = e.data && e.data.topolabBuild;
      if (!b || b === 'dev' || b === pageBuild || offered) return;
      offered = true;
      toast(t('A new version of Topolab is ready: reload the page to use it.'), 8000);
    });
    navigator.serviceWorker.addEventListener('controllerchange', askBuild);
    window.addEventListener('load', () => {
      navigator.serviceWorker.register('sw.js').then(askBuild)
        .catch((e) => console.warn('topolab: offline use is not available:', e.message));
    });
  }
})();
