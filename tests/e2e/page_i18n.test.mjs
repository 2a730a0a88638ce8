// The lab in the student's language. ?lang=es: the page's words, the catalogue (lesson titles from
// lessons/es/index.json), <html lang>, the lab's own words (state().language) and lesson 01 in
// Spanish, played to its end through the hooks. ?lang=qps, the pseudo-locale in which every
// translatable message is wrapped in [ ] and accented: every text the page shows (catalogue,
// lesson panel, buttons, labels, aria-labels) must be wrapped, so a string that cannot be
// translated fails the test. The picker switches the language without a reload.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newPage, gotoPage, labState, labCommand, visible, shot, siteSuite } from './page_util.mjs';

const env = siteSuite();
const { skip } = env;

const LESSON = '01-one-system-many-computers';

/// Plays the open lesson to its end through the hooks: Show me for tasks, the first choice of a
/// predict, each quiz choice until one is right, then time until the step completes, then Next.
async function playToEnd(page, maxSteps = 30) {
  for (let i = 0; i < maxSteps; i++) {
    let L = (await labCommand(page, { op: 'ui.lesson' })).lesson;
    if (!L || L.complete) return L;
    if (L.predict && L.predict.answer < 0) await labCommand(page, { op: 'ui.answer', step: L.step, choice: 0 });
    if (L.quiz && L.quiz.answer < 0) await labCommand(page, { op: 'ui.answer', step: L.step, choice: 0 });
    if (L.task && L.task.show_me) await labCommand(page, { op: 'ui.solution' });
    for (let t = 0; t < 400 && !L.step_complete; t++) {
      await labCommand(page, { op: 'ui.run_ms', value: 250 });
      L = (await labCommand(page, { op: 'ui.lesson' })).lesson;
      if (L.task && L.task.show_me) await labCommand(page, { op: 'ui.solution' });
    }
    assert.ok(L.step_complete, `step ${L.step} completes (${JSON.stringify(L).slice(0, 300)})`);
    assert.equal((await labCommand(page, { op: 'ui.next' })).ok, true);
  }
  throw new Error('the lesson did not end');
}

test('?lang=es: the page, the catalogue and lesson 01 in Spanish, played to the end', { skip }, async () => {
  const { context, page, errors } = await newPage(env.browser);
  await gotoPage(page, env.lab.url + '?lang=es');
  await page.waitForFunction(() => document.documentElement.lang === 'es');
  assert.ok(await visible(page, '#catalogue'));
  assert.equal((await page.textContent('#cat-sandbox')).trim(), 'Modo libre');
  await page.waitForSelector(`#lesson-list [data-lesson="${LESSON}"] h2`);
  assert.equal((await page.textContent(`#lesson-list [data-lesson="${LESSON}"] h2`)).trim(), 'Un sistema, muchas computadoras');
  assert.match(await page.textContent(`#lesson-list [data-lesson="${LESSON}"] .meta`), /principiante/);
  await shot(page, 'page-es-catalogue.png');

  await page.click(`#lesson-list [data-lesson="${LESSON}"] button`);
  await page.waitForFunction((id) => { const s = Module.topolab.state(); return s.lesson && s.lesson.id === id; }, LESSON);
  const s = await labState(page);
  assert.equal(s.language, 'es');
  assert.equal(s.lesson.title, 'Un sistema, muchas computadoras');
  assert.match(s.lesson.file, /\/lessons\/es\//);
  await page.waitForFunction(() => !document.getElementById('lesson-panel').classList.contains('hidden'));
  assert.equal((await page.textContent('#lp-nodes-h')).trim(), 'Máquinas');
  assert.match(await page.textContent('#lp-nodes'), /Tumbar/);
  await shot(page, 'page-es-lesson.png');
  const end = await playToEnd(page);
  assert.equal(end.complete, true);
  assert.deepEqual(errors, []);
  await context.close();
});

test('?lang=qps: every text the page shows is a translated message (the pseudo-locale wraps them all)', { skip }, async () => {
  const { context, page, errors } = await newPage(env.browser);
  await gotoPage(page, env.lab.url + '?lang=qps');
  await page.waitForFunction(() => document.documentElement.lang === 'en-XA');
  await page.waitForSelector('#lesson-list li');
  // Text that is data, not UI: lesson titles, summaries and topics, file names, the product name.
  const unwrapped = () => page.evaluate(() => {
    const data = (e) => e.closest('#lesson-list h2, #lesson-list .summary, #lesson-list .tags, #lp-title, #lp-step-title, '
      + '#lp-body, .node-name, #continue-title, #cat-lang, code, #lp-action, #lp-params, #loading, #problem');
    const out = [];
    const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      const e = n.parentElement;
      const text = n.textContent.replace(/\s+/g, ' ').trim();
      if (!text || !/[A-Za-z]{2}/.test(text) || data(e) || e.closest('.hidden, script, style, [aria-hidden="true"]')) continue;
      if (e.closest('#cat-title') && text === 'Topolab') continue;
      if (!/\[.*\]/.test(text)) out.push(text);
    }
    for (const e of document.querySelectorAll('[aria-label], [title]')) {
      if (e.closest('.hidden')) continue;
      for (const a of ['aria-label', 'title']) {
        const v = e.getAttribute(a);
        if (v && /[A-Za-z]{2}/.test(v) && !/\[.*\]/.test(v) && !data(e)) out.push(`${a}="${v}"`);
      }
    }
    return out;
  });
  assert.deepEqual(await unwrapped(), [], 'the catalogue shows only translated messages');
  await shot(page, 'page-qps-catalogue.png');
  await page.click(`#lesson-list [data-lesson="${LESSON}"] button`);
  await page.waitForFunction(() => !document.getElementById('lesson-panel').classList.contains('hidden'));
  await page.waitForFunction(() => document.querySelectorAll('#lp-nodes li').length > 0);
  assert.deepEqual(await unwrapped(), [], 'the lesson panel shows only translated messages');
  assert.equal((await labState(page)).language, 'qps');
  // The lab's own words through its hooks: every action's help and every parameter's, as the
  // page's action form shows them, are translated messages.
  const actions = await labCommand(page, { op: 'ui.actions' });
  assert.ok(actions.ok && actions.actions.length > 3, 'the lesson world has actions');
  const helps = actions.actions.flatMap((a) => [a.help, ...a.params.map((p) => p.help)]).filter(Boolean);
  assert.deepEqual(helps.filter((h) => !/^\[.*\]$/.test(h)), [], 'ui.actions: every help text is a translated message');
  await shot(page, 'page-qps-lesson.png');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the language picker switches the page and the lab without a reload, and is remembered', { skip }, async () => {
  const { context, page, errors } = await newPage(env.browser);
  await gotoPage(page, env.lab.url);
  await page.waitForSelector('#cat-lang option[value="es"]', { state: 'attached' });
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
  await page.selectOption('#cat-lang', 'es');
  await page.waitForFunction(() => document.documentElement.lang === 'es');
  await page.waitForFunction(() => Module.topolab.state().language === 'es');
  assert.equal((await page.textContent('#cat-sandbox')).trim(), 'Modo libre');
  await page.reload();
  await page.waitForFunction(() => document.documentElement.lang === 'es');
  assert.deepEqual(errors, []);
  await context.close();
});

test('Record a lesson on the page: play, stop, the lesson downloads, opens and plays to its end', { skip }, async () => {
  const { context, page, errors } = await newPage(env.browser);
  await gotoPage(page, env.lab.url + '?scenario=raft-3&seed=4');
  await page.waitForFunction(() => Module.topolab.state().scenario === 'raft-3');
  await page.click('#btn-record');
  await page.waitForFunction(() => Module.topolab.state().recording === true);
  assert.equal(await page.getAttribute('#btn-record', 'aria-pressed'), 'true');
  await labCommand(page, { op: 'ui.pause' });
  await labCommand(page, { op: 'ui.run_ms', value: 1500 });
  assert.equal((await labCommand(page, { op: 'crash', node: 'n2' })).ok, true);
  await labCommand(page, { op: 'ui.run_ms', value: 2000 });
  assert.equal((await labCommand(page, { op: 'restart', node: 'n2' })).ok, true);
  await labCommand(page, { op: 'ui.run_ms', value: 1000 });
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#btn-record')]);
  assert.equal(download.suggestedFilename(), 'recorded-lesson.toml');
  const text = await page.evaluate(() => window.topolabPage.lastRecording);
  assert.match(text, /crash node=n2/);
  assert.match(text, /restart node=n2/);
  // The file opens as a lesson and plays to its end.
  assert.equal((await labCommand(page, { op: 'ui.open_lesson_text', name: 'recorded-lesson.toml', text })).ok, true);
  const end = await playToEnd(page);
  assert.equal(end.complete, true);
  assert.deepEqual(errors, []);
  await context.close();
});
