// The accessible lesson player (issue 16): the open lesson is real HTML beside the canvas, made by
// the core's lesson runner (a whole lesson by keyboard: a11y_keyboard.test.mjs); every action of
// the world has a keyboard form; free play has the panel too. axe-core (run inside the real page) finds no serious
// or critical violation on the catalogue, the lab with a lesson, an open predict and an open quiz.
// A lesson's own HTML or script is shown as text, never injected.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { root } from './browser.mjs';
import { siteSuite, newPage, gotoPage, frames, shot, tabTo, press } from './page_util.mjs';

const env = siteSuite();
const skip = env.skip;
const LESSON01 = '01-one-system-many-computers';

test('every action works from the keyboard: the panel\'s action form scales a service, and says why it refuses', { skip, timeout: 180000 }, async () => {
  const { context, page, errors } = await newPage(env.browser);
  await gotoPage(page, env.lab.url + '?lesson=09-scale-only-what-is-hot');
  const form = page.getByRole('region', { name: 'All actions' });
  const action = form.getByRole('combobox', { name: 'Action' });
  await action.waitFor({ timeout: 30000 });
  await page.waitForFunction(() => document.querySelectorAll('#lp-action option').length > 3);
  // Tab to the action list, pick "scale" by typing its name, fill its fields, press Enter.
  await tabTo(page, action);
  await page.keyboard.type('scale');
  assert.equal(await action.inputValue(), 'scale');
  await form.getByText('Set the number of replicas of a service').waitFor();
  const service = form.getByRole('textbox', { name: /^service/ });
  await tabTo(page, service);
  await page.keyboard.type('catalog');
  await page.keyboard.press('Tab');
  await page.keyboard.type('99');
  await page.keyboard.press('Enter');
  await form.getByRole('status').getByText(/^Refused: .*replicas/).waitFor();
  await tabTo(page, form.getByRole('textbox', { name: /^replicas/ }));
  await page.keyboard.press('Control+A');
  await page.keyboard.type('6');
  await page.keyboard.press('Enter');
  await form.getByRole('status').getByText('Done: scale.').waitFor();
  await shot(page, 'a11y-actions-form.png');
  const log = await page.evaluate(() => Module.topolab.state().share.log);
  assert.match(log, /scale replicas=6 service=catalog/);
  assert.doesNotMatch(log, /replicas=99/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('free play has the panel too: the machines of the world, operable by keyboard, and narrated', { skip, timeout: 120000 }, async () => {
  const { context, page, errors } = await newPage(env.browser);
  await gotoPage(page, env.lab.url + '?scenario=raft-5&seed=2');
  const panel = page.getByRole('complementary', { name: 'raft-5' });
  await panel.waitFor({ timeout: 30000 });
  assert.ok(await panel.getByText('Free play').isVisible());
  assert.equal(await panel.getByRole('navigation', { name: 'Lesson steps' }).count(), 0, 'no Back/Next without a lesson');
  // The lab has the keyboard at first (its own shortcuts); F6 moves it to the panel.
  await page.focus('#canvas');
  await page.keyboard.press('F6');
  assert.ok(await panel.getByRole('heading', { level: 1, name: 'raft-5' }).evaluate((e) => e === document.activeElement), 'F6 goes to the panel');
  await press(page, panel.getByRole('button', { name: 'Crash n3' }));
  await panel.getByRole('button', { name: 'Restart n3' }).waitFor();
  await page.waitForFunction(() => document.getElementById('narration').textContent.includes('n3 crashed'), null, { timeout: 5000 });
  assert.deepEqual(await axeSerious(page), [], 'free play');
  assert.deepEqual(errors, []);
  await context.close();
});

// axe-core's rules, run in the page: the violations of impact serious or critical.
async function axeSerious(page) {
  await page.addScriptTag({ path: path.join(root, 'node_modules', 'axe-core', 'axe.min.js') });
  const r = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
}

test('axe-core: no serious or critical violations on the catalogue, a lesson, a predict and a quiz', { skip, timeout: 180000 }, async () => {
  const { context, page, errors } = await newPage(env.browser);
  await gotoPage(page, env.lab.url);
  await page.getByRole('main', { name: 'Topolab' }).getByRole('list', { name: 'Lessons' }).waitFor();
  assert.deepEqual(await axeSerious(page), [], 'catalogue');

  await gotoPage(page, env.lab.url + '?lesson=' + LESSON01);
  const panel = page.getByRole('complementary', { name: 'One system, many computers' });
  await panel.getByText('To them the store is').waitFor();
  assert.deepEqual(await axeSerious(page), [], 'lab with lesson 01 open');

  await gotoPage(page, env.lab.url + '?lesson=' + LESSON01 + '&step=3');
  await panel.getByRole('button', { name: 'Nothing: they keep getting answers.' }).waitFor();
  assert.deepEqual(await axeSerious(page), [], 'an open predict');

  await gotoPage(page, env.lab.url + '?lesson=' + LESSON01 + '&step=5');
  await panel.getByRole('radio').first().waitFor();
  assert.deepEqual(await axeSerious(page), [], 'an open quiz');
  await frames(page, 3);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a lesson whose text holds HTML and script shows it as text, never as markup', { skip, timeout: 120000 }, async () => {
  // The lesson is served by the test (the page's service worker would fetch around page.route).
  const { context, page, errors } = await newPage(env.browser, { serviceWorkers: 'block' });
  const evil = `format = 1
id = "evil"
summary = "A lesson that tries to inject markup"
level = "beginner"
minutes = 1
title = "Evil <img src=x onerror=\\"window.pwned=1\\">"
[scenario]
name = "raft-5"
[[step]]
title = "<script>window.pwned=2</script>Step"
text = """
Hello <img src=x onerror="window.pwned=3"> and <b>bold</b>, [a link](https://example.org/?a=<b>&b="x") and **<i>strong</i>**.
"""
[step.quiz]
question = "<button onclick=\\"window.pwned=5\\">Q</button>?"
choices = [ { text = "<svg onload=\\"window.pwned=6\\">yes", correct = true, explain = "<img src=y onerror=\\"window.pwned=7\\">" }, { text = "no" } ]
`;
  await page.route('**/evil.toml', (route) => route.fulfill({ status: 200, contentType: 'text/plain', body: evil }));
  // A javascript: link is refused by the checker, with its place in the file, and nothing runs.
  const jsLink = evil.replace('https://example.org/?a=<b>&b="x"', 'javascript:window.pwned=4');
  await page.route('**/jslink.toml', (route) => route.fulfill({ status: 200, contentType: 'text/plain', body: jsLink }));
  await gotoPage(page, env.lab.url + '?lesson_url=jslink.toml');
  const alert = page.getByRole('alert', { name: 'This lesson file has a problem' });
  await alert.getByText(/jslink\.toml:\d+:\d+: link target "javascript:window\.pwned=4" is not a web address/).waitFor({ timeout: 30000 });
  await gotoPage(page, env.lab.url + '?lesson_url=evil.toml');
  const panel = page.locator('#lesson-panel');
  await panel.getByText('Hello <img src=x', { exact: false }).waitFor({ timeout: 30000 });
  // Answer the quiz so that the explanation is shown too.
  await panel.getByRole('radio').first().check();
  await panel.getByRole('button', { name: 'Check answer' }).click();
  await panel.getByText('<img src=y', { exact: false }).waitFor();
  const found = await page.evaluate(() => {
    const p = document.getElementById('lesson-panel');
    return {
      pwned: window.pwned ?? null,
      tags: [...p.querySelectorAll('img, script, svg, b, i, iframe')].map((e) => e.tagName),
      hrefs: [...p.querySelectorAll('a')].map((a) => a.getAttribute('href')),
      buttons: [...p.querySelectorAll('button')].filter((b) => b.textContent === 'Q').length,
    };
  });
  assert.equal(found.pwned, null, 'no script of the lesson ran');
  assert.deepEqual(found.tags, [], 'no element of the lesson\'s own HTML');
  assert.deepEqual(found.hrefs, ['https://example.org/?a=<b>&b="x"'], 'the link, its target as written');
  assert.equal(found.buttons, 0);
  assert.ok(await panel.getByText('<script>window.pwned=2</script>Step').isVisible(), 'the title is shown as typed');
  assert.ok(await panel.locator('strong', { hasText: '<i>strong</i>' }).isVisible(), 'the lesson\'s own Markdown still works');
  assert.deepEqual(errors.filter((e) => !/evil|lesson/i.test(e)), []);
  await context.close();
});
