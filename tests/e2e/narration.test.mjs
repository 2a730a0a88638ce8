// Narration in the browser: the page's polite live region says what happens in words — a crash
// within one second of real time, the new leader after it — summarised at a readable pace, as
// text (a lesson's HTML is never injected there: the region is filled with textContent).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { siteSuite, newPage, gotoPage, labState, labCommand, frames } from './page_util.mjs';

const env = siteSuite();
const skip = env.skip;

const region = (page) => page.evaluate(() => {
  const r = document.getElementById('narration');
  return { text: r.textContent, live: r.getAttribute('aria-live') };
});

test('the live region announces a crash within a second and the leader that follows', { skip }, async () => {
  const { context, page, errors } = await newPage(env.browser);
  await gotoPage(page, env.lab.url + '?scenario=raft-5&seed=2');
  await frames(page, 5);
  // Let an election happen (fast forward), then wait for the region to have caught up.
  await labCommand(page, { op: 'ui.run_ms', value: 1500 });
  await page.waitForFunction(() => document.getElementById('narration').textContent.includes('became leader'), null, { timeout: 10000 });
  const r0 = await region(page);
  assert.equal(r0.live, 'polite');
  const s = await labState(page);
  const leader = s.nodes.find((n) => n.p_role === 'leader');
  assert.ok(leader, 'a leader was elected');
  // Crash it: the words come within one second of real time.
  const t0 = Date.now();
  assert.ok((await labCommand(page, { op: 'crash', node: leader.name })).ok);
  await page.waitForFunction((n) => document.getElementById('narration').textContent.includes(n + ' crashed'), leader.name, { timeout: 1000 });
  const took = Date.now() - t0;
  assert.ok(took <= 1000, `announced after ${took} ms`);
  // The next leader, in a later term.
  await labCommand(page, { op: 'ui.run_ms', value: 2000 });
  await page.waitForFunction((n) => {
    const t = document.getElementById('narration').textContent;
    return /became leader in term [2-9]/.test(t) && !t.startsWith(n + ' became');
  }, leader.name, { timeout: 10000 });
  // The Event log (the same words) and the hook agree.
  const s2 = await labState(page);
  assert.ok(s2.narration.lines.some((l) => l.text === leader.name + ' crashed'));
  // "Describe" reads the world out on demand (the D key, the canvas having the keyboard).
  await page.focus('#canvas');
  await page.keyboard.press('d');
  await page.waitForFunction(() => /5 servers: .*2 clients/.test(document.getElementById('narration').textContent), null, { timeout: 3000 });
  assert.match((await region(page)).text, new RegExp(leader.name + ' crashed'));
  // Announcements come at a readable pace: never two within 0.6 s (several lines are summarised in
  // one); an asked-for description is read at once.
  const announced = await page.evaluate(() => window.topolabPage.narration.announced.filter((a) => !a.asked).map((a) => a.at));
  for (let i = 1; i < announced.length; i++) assert.ok(announced[i] - announced[i - 1] >= 600, "two announcements less than 0.6 s apart");
  assert.deepEqual(errors, []);
  await context.close();
});

test('comfort: a system asking for reduced motion gets still particle streams; text size scales the UI', { skip }, async () => {
  const { context, page, errors } = await newPage(env.browser, { reducedMotion: 'reduce' });
  await gotoPage(page, env.lab.url + '?scenario=shop');
  await frames(page, 5);
  assert.equal((await labState(page)).comfort.reduced_motion, true);
  const r = await labCommand(page, { op: 'ui.comfort', text_scale: 1.5 });
  assert.ok(r.ok, JSON.stringify(r));
  await frames(page, 3);
  assert.equal((await labState(page)).comfort.text_scale, 1.5);
  assert.equal((await labCommand(page, { op: 'ui.comfort', text_scale: 9 })).ok, false);
  assert.deepEqual(errors, []);
  await context.close();
});
