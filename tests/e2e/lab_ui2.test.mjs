// Browser end-to-end, part 2: the Raft log in the Inspector (a node clicked with the mouse),
// side-by-side mode (two canvases, a crash from the right canvas' context menu lands in both
// worlds), keyboard shortcuts (Right, Left, +, -, F), frames per second at 1280x800 (software
// WebGL here: printed, and kept in docs/performance.md), and a shared link made inside a lesson
// that reopens the same lesson, step and world. Screenshots go to build/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startLab, openLab, state, command, screenshot, drawnNode } from './browser.mjs';
import { siteDir, siteLessons, newPage, gotoPage, labState, labCommand } from './page_util.mjs';

let lab;
before(async () => { lab = await startLab(); });
after(async () => { await lab?.close(); });

async function waitFor(page, pred, what, ms = 20000) {
  const t0 = Date.now();
  for (;;) {
    const s = await state(page);
    if (pred(s)) return s;
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}; last state time ${s.time_us}`);
    await page.waitForTimeout(100);
  }
}

test('the Inspector shows a Raft server\'s log, term, vote and commit index', async () => {
  const { page, errors } = await openLab(lab, '?scenario=raft-5&seed=5');   // the lab, not the catalogue
  assert.equal((await command(page, { op: 'ui.scenario', name: 'raft-5', seed: 5 })).ok, true);
  await command(page, { op: 'ui.pause' });
  await command(page, { op: 'ui.run_ms', value: 3000 });
  const n = await drawnNode(page, 'n3');
  await page.mouse.click(n.x, n.y);
  let s = await waitFor(page, (s) => s.selected === 'n3', 'n3 selected by a click');
  const r = s.inspector.raft;
  assert.ok(r, 'the inspector has a Raft section');
  assert.ok(r.term >= 1 && r.log_length > 0 && r.commit_index > 0, JSON.stringify({ term: r.term, len: r.log_length, ci: r.commit_index }));
  assert.ok(r.log.some((e) => e.committed && /^put /.test(e.command)), 'committed puts in the log');
  await screenshot(page, 'inspector-raft-log.png');
  assert.deepEqual(errors, []);
  await page.close();
});

test('side by side: two worlds, one clock; a crash from the right canvas goes to both', async () => {
  const { page, errors } = await openLab(lab, '?scenario=raft-5&seed=5');   // the lab, not the catalogue
  const r = await command(page, { op: 'ui.compare', left: 'shop', left_params: 'resilience=off', right: 'shop', right_params: 'resilience=on', seed: 2 });
  assert.equal(r.ok, true, JSON.stringify(r));
  await command(page, { op: 'ui.speed', value: 1 });
  let s = await waitFor(page, (s) => s.compare && s.compare.left.time_us > 2000000, 'both worlds running');
  await command(page, { op: 'ui.pause' });
  s = await state(page);
  assert.equal(s.compare.left.time_us, s.compare.right.time_us, 'one clock');
  // A replica in the lower part of the canvas (clear of any page banner over the top).
  const low = s.compare.right.nodes.filter((n) => n.y > 470 && n.status === 'up' && !/client/.test(n.role));
  const victim = low.find((n) => /payment/.test(n.name)) || low[0];
  assert.ok(victim.y > Math.max(...s.compare.left.nodes.map((n) => n.y)), 'the second world is drawn below the first (1280x800)');
  await screenshot(page, 'side-by-side-before-crash.png');
  await page.mouse.click(victim.x, victim.y, { button: 'right' });
  s = await waitFor(page, (s) => s.compare.right.menu.some((m) => m.label === 'Crash'), 'the right canvas context menu');
  const item = s.compare.right.menu.find((m) => m.label === 'Crash');
  await page.mouse.click(item.x, item.y);
  s = await waitFor(page, (s) => s.compare.right.commands === 1, 'the crash in the right world');
  assert.equal(s.compare.left.commands, 1, 'the same node crashed in the left world too');
  assert.ok(s.compare.left.nodes.some((n) => n.name === victim.name), 'the left world has the same node');
  const t1 = s.compare.left.time_us;
  await command(page, { op: 'ui.play' });
  await waitFor(page, (s) => s.compare.left.time_us > t1 + 1500000, 'time going on', 30000);
  await command(page, { op: 'ui.pause' });
  await screenshot(page, 'side-by-side-resilience.png');
  // Microservices vs monolith, from the same hook the menu uses.
  assert.equal((await command(page, { op: 'ui.compare', left: 'shop', right: 'shop-monolith', seed: 2 })).ok, true);
  await command(page, { op: 'ui.run_ms', value: 3000 });
  await page.waitForTimeout(300);
  s = await state(page);
  assert.equal(s.compare.titles[1], 'shop-monolith');
  await screenshot(page, 'side-by-side-monolith.png');
  assert.deepEqual(errors, []);
  await page.close();
});

test('keyboard: Right steps, Left goes back, + and - change the speed, F fits the view', async () => {
  const { page, errors } = await openLab(lab, '?scenario=raft-5&seed=5');   // the lab, not the catalogue
  await command(page, { op: 'ui.scenario', name: 'raft-3', seed: 4 });
  await command(page, { op: 'ui.pause' });
  await command(page, { op: 'ui.run_ms', value: 500 });
  await page.mouse.click(5, 400);
  const s0 = await state(page);
  await page.keyboard.press('ArrowRight');
  const s1 = await waitFor(page, (s) => s.events === s0.events + 1, 'Right: one event');
  await page.keyboard.press('ArrowLeft');
  await waitFor(page, (s) => s.time_us < s1.time_us, 'Left: back in time');
  const v0 = (await state(page)).speed;
  await page.keyboard.press('Equal');
  await waitFor(page, (s) => Math.abs(s.speed - 2 * v0) < 1e-9, '+ doubles the speed');
  await page.keyboard.press('Minus');
  await page.keyboard.press('Minus');
  await waitFor(page, (s) => Math.abs(s.speed - v0 / 2) < 1e-9, '- halves the speed');
  await page.keyboard.press('KeyF');
  assert.deepEqual(errors, []);
  await page.close();
});

test('frames per second at 1280x800 (software WebGL): measured and printed', async () => {
  const { page, errors } = await openLab(lab, '?scenario=raft-5&seed=5');   // the lab, not the catalogue
  const fps = {};
  for (const [name, extra] of [['raft-5', {}], ['shop', {}]]) {
    await command(page, { op: 'ui.scenario', name, seed: 1, ...extra });
    await command(page, { op: 'ui.speed', value: 1 });
    await command(page, { op: 'ui.play' });
    await page.waitForTimeout(1000);
    const f0 = (await state(page)).frames;
    const t0 = Date.now();
    await page.waitForTimeout(4000);
    const f1 = (await state(page)).frames;
    fps[name] = (f1 - f0) / ((Date.now() - t0) / 1000);
    // requestAnimationFrame in the page, for comparison (the lab draws once per animation frame).
    fps[name + ' (rAF)'] = await page.evaluate(() => new Promise((res) => {
      let n = 0; const t = performance.now();
      const tick = () => { n++; if (performance.now() - t < 2000) requestAnimationFrame(tick); else res(n / ((performance.now() - t) / 1000)); };
      requestAnimationFrame(tick);
    }));
  }
  console.log(`# UI frames per second at 1280x800, headless Chromium, SwiftShader WebGL2: ${JSON.stringify(fps)}`);
  await screenshot(page, 'fps-shop.png');
  for (const [k, v] of Object.entries(fps)) assert.ok(v > 0, `${k}: frames were drawn`);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a link shared inside a lesson reopens the same lesson, step and world', async () => {
  const site = siteDir();
  const lessons = siteLessons(site);
  const lesson = lessons.find((l) => l.id === '01-one-system-many-computers') || lessons[0];
  const { context, page, errors } = await newPage(lab.browser);
  await gotoPage(page, `${lab.url}?lesson=${encodeURIComponent(lesson.id)}`, 180000);
  await labCommand(page, { op: 'ui.pause' });
  // Play the first step for real, then move on to step 2 and act there.
  for (let i = 0; i < 100 && !(await labState(page)).lesson.step_complete; i++) await labCommand(page, { op: 'ui.run_ms', value: 200 });
  assert.equal((await labCommand(page, { op: 'ui.next' })).ok, true);
  await labCommand(page, { op: 'ui.run_ms', value: 300 });
  let s = await labState(page);
  const victim = s.nodes.find((n) => n.status === 'up' && n.role !== 'client' && !/^c/.test(n.name));
  assert.equal((await labCommand(page, { op: 'crash', node: victim.name })).ok, true);
  await labCommand(page, { op: 'ui.run_ms', value: 400 });
  s = await labState(page);
  assert.equal(s.lesson.step, 2);
  await page.evaluate(() => { window.topolabPage.lastShareLink = ''; });
  await page.click('#btn-share');
  await page.waitForFunction(() => window.topolabPage.lastShareLink !== '');
  const link = await page.evaluate(() => window.topolabPage.lastShareLink);
  assert.match(link, /[?&]step=2/);

  const other = await newPage(lab.browser);
  await gotoPage(other.page, link, 180000);
  const r = await labState(other.page);
  assert.ok(r.lesson, 'the shared link opened the lesson');
  assert.equal(r.lesson.id, s.lesson.id);
  assert.equal(r.lesson.step, s.lesson.step);
  assert.equal(r.time_us, s.time_us);
  assert.equal(r.trace_hash, s.trace_hash);
  assert.equal(r.commands, s.commands);
  await screenshot(other.page, 'lesson-shared-moment.png');
  // Rewinding inside the lesson (in the first page) goes back to step 1 at that time.
  assert.equal((await labCommand(page, { op: 'ui.rewind_ms', value: 100 })).ok, true);
  const back = await labState(page);
  assert.equal(back.lesson && back.lesson.id, s.lesson.id, 'still in the lesson after a rewind');
  assert.equal(back.lesson.step, 1);
  assert.equal(back.time_us, 100000);
  await screenshot(page, 'lesson-rewound.png');
  assert.deepEqual(errors, []);
  assert.deepEqual(other.errors, []);
  await other.context.close();
  await context.close();
});
