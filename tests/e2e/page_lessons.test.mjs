// Teacher lessons in the page: a lesson file served from another local server (cross-origin, CORS)
// opens through ?lesson_url=; a broken file shows `file:line:col: message` in the page while the
// last good lesson keeps running; a missing file says so; the file picker and drag-and-drop open
// lesson files the same way. Skips when the site is not built.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { siteDir, missingSite, siteLessons, launch, serveDir, newPage, gotoPage, labState, visible, shot, frames } from './page_util.mjs';

const site = siteDir();
const missing = missingSite(site);
const skip = missing ? `the web site is not built (${missing}): build the web preset (or set TOPOLAB_SITE)` : false;

let lab, teacher, browser, tmp, good, goodText, brokenText;
before(async () => {
  if (skip) return;
  // The teacher's own server: another origin, holding a good and a broken lesson.
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'topolab-teacher-'));
  const first = siteLessons(site)[0];
  good = first;
  goodText = fs.readFileSync(path.join(site, 'lessons', first.file), 'utf8');
  fs.mkdirSync(path.join(tmp, 'class'));
  fs.writeFileSync(path.join(tmp, 'class', 'good-lesson.toml'), goodText);
  // Break it: an unterminated string on a line of its own, after the header.
  const lines = goodText.split('\n');
  const at = lines.findIndex((l) => /^title\s*=/.test(l));
  lines.splice(at + 1, 0, 'summary2 = "this string never ends');
  brokenText = lines.join('\n');
  fs.writeFileSync(path.join(tmp, 'class', 'broken-lesson.toml'), brokenText);
  lab = await serveDir(site);
  teacher = await serveDir(tmp);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await lab?.close();
  await teacher?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

test('?lesson_url= opens a lesson from another server; a broken one shows file:line:col and the lab keeps running', { skip }, async () => {
  const { context, page, errors } = await newPage(browser);
  const url = teacher.url + 'class/good-lesson.toml';
  await gotoPage(page, lab.url + '?lesson_url=' + encodeURIComponent(url));
  let s = await labState(page);
  assert.ok(s.lesson, `the teacher's lesson is open (error: ${s.error})`);
  assert.equal(s.lesson.id, good.id);
  assert.ok(!(await visible(page, '#message')));
  await shot(page, 'page-lesson-url.png');

  // Now the broken one, in the same tab: the page keeps the good lesson running.
  const before = s;
  await page.evaluate((u) => window.topolabPage.openUrl(u, {}), teacher.url + 'class/broken-lesson.toml');
  assert.ok(await visible(page, '#message'), 'the error message is shown');
  const detail = await page.textContent('#message-detail');
  assert.match(detail, /broken-lesson\.toml:\d+:\d+: \S/, `file:line:col: message, got: ${detail}`);
  await shot(page, 'page-lesson-url-broken.png');
  await frames(page, 5);
  s = await labState(page);
  assert.ok(s.lesson && s.lesson.id === good.id, 'the last good lesson is still open');
  assert.ok(s.frames > before.frames, 'the lab keeps drawing');
  assert.deepEqual(errors.filter((e) => !/Failed to load resource/.test(e)), []);
  await context.close();
});

test('a broken lesson as the first thing opened shows the message over the catalogue', { skip }, async () => {
  const { context, page } = await newPage(browser);
  await gotoPage(page, lab.url + '?lesson_url=' + encodeURIComponent(teacher.url + 'class/broken-lesson.toml'));
  assert.ok(await visible(page, '#message'));
  assert.match(await page.textContent('#message-detail'), /broken-lesson\.toml:\d+:\d+:/);
  assert.ok(await visible(page, '#catalogue'), 'the catalogue stays usable');
  await shot(page, 'page-broken-first.png');
  // A file that is not there: the server's answer, in words (same origin, so the status is
  // readable; another server's 404 without CORS headers reads as a network error, and says so).
  await gotoPage(page, lab.url + '?lesson_url=' + encodeURIComponent(lab.url + 'lessons/no-such-lesson.toml'));
  assert.ok(await visible(page, '#message'));
  assert.match(await page.textContent('#message-text'), /no-such-lesson\.toml: the server answered HTTP 404/);
  await context.close();
});

test('the file picker and drag-and-drop open lesson files; errors name the file', { skip }, async () => {
  const { context, page } = await newPage(browser);
  await gotoPage(page, lab.url);
  await page.setInputFiles('#file-input', { name: 'my-lesson.toml', mimeType: 'text/plain', buffer: Buffer.from(goodText) });
  await page.waitForFunction(() => { const s = Module.topolab.state(); return s.lesson && s.lesson.file === 'my-lesson.toml'; });
  assert.ok(await visible(page, '#topbar'));
  // Drop a broken file onto the page.
  await page.evaluate((text) => {
    const dt = new DataTransfer();
    dt.items.add(new File([text], 'dropped.toml', { type: 'text/plain' }));
    window.dispatchEvent(new DragEvent('dragenter', { dataTransfer: dt, bubbles: true, cancelable: true }));
    window.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, brokenText);
  await page.waitForSelector('#message:not(.hidden)');
  assert.match(await page.textContent('#message-detail'), /dropped\.toml:\d+:\d+: \S/);
  const s = await labState(page);
  assert.equal(s.lesson.file, 'my-lesson.toml', 'the picked lesson keeps running');
  assert.ok(!(await visible(page, '#dropzone')), 'the drop zone is gone after the drop');
  await shot(page, 'page-dropped-broken.png');
  await context.close();
});
