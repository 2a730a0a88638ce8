// The packaged site (dist/web from scripts/package) served by Debian's nginx with the server block
// of web/nginx.conf.example: the right types and headers (application/wasm, pre-compressed gzip,
// an uncached service worker), the catalogue of bundled lessons, a deep link that opens a lesson at
// step 2, and the size budget and time to the first frame (reported, not asserted: the machine is
// shared). Skips with a message when dist/web is not built (run scripts/package web).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { distDir, missingSite, siteLessons, launch, startNginx, newPage, gotoPage, labState, visible, shot, settle } from './page_util.mjs';

const dist = distDir();
const missing = missingSite(dist);
const skip = missing ? `dist/web is not built (${missing}): run scripts/package web` : false;

let nginx, browser;
before(async () => {
  if (skip) return;
  nginx = await startNginx(dist);
  browser = await launch();
});
after(async () => { await browser?.close(); await nginx?.close(); });

test('nginx serves the module as application/wasm, pre-compressed, and never caches the service worker', { skip }, async () => {
  const wasm = await fetch(nginx.url + 'topolab.wasm', { headers: { 'Accept-Encoding': 'gzip' } });
  assert.equal(wasm.status, 200);
  assert.equal(wasm.headers.get('content-type'), 'application/wasm');
  assert.equal(wasm.headers.get('content-encoding'), 'gzip', 'gzip_static sends topolab.wasm.gz');
  const body = Buffer.from(await wasm.arrayBuffer());   // fetch already decoded it
  assert.equal(body.length, fs.statSync(path.join(dist, 'topolab.wasm')).size);
  assert.match(wasm.headers.get('cache-control') || '', /no-cache/);
  const sw = await fetch(nginx.url + 'sw.js');
  assert.match(sw.headers.get('cache-control') || '', /no-store/);
  assert.match(sw.headers.get('content-type') || '', /javascript/);
  assert.doesNotMatch(await sw.text(), /const BUILD = 'dev'/, 'dist/web/sw.js is stamped with its build');
  const lesson = await fetch(nginx.url + 'lessons/index.json');
  assert.equal(lesson.status, 200);
  assert.equal(lesson.headers.get('access-control-allow-origin'), '*');
  const manifest = await fetch(nginx.url + 'manifest.webmanifest');
  assert.match(manifest.headers.get('content-type') || '', /manifest\+json/);
});

test('the page loads from nginx, shows the catalogue, and a deep link opens a lesson at step 2', { skip }, async () => {
  const lessons = siteLessons(dist);
  assert.ok(lessons.length >= 1, 'dist/web has bundled lessons');
  const { context, page, errors } = await newPage(browser);
  await settle(page);   // the new window's own start-up first, so the figure below is the page's
  await gotoPage(page, nginx.url);
  assert.ok(await visible(page, '#catalogue'), 'the catalogue is shown');
  const cards = await page.$$eval('#lesson-list .lesson h2', (hs) => hs.map((h) => h.textContent));
  assert.deepEqual(cards, lessons.map((l) => l.title));
  const t = await page.evaluate(() => window.topolabPage.timings);
  await shot(page, 'page-nginx-catalogue.png');

  const target = lessons.find((l) => (l.steps || 2) >= 2) || lessons[0];
  await gotoPage(page, `${nginx.url}?lesson=${encodeURIComponent(target.id)}&step=2`);
  const s = await labState(page);
  assert.ok(s.lesson, `a lesson is open (error: ${s.error})`);
  assert.equal(s.lesson.id, target.id);
  assert.equal(s.lesson.step, 2);
  assert.ok(await visible(page, '#topbar'), 'the lab buttons are shown');
  assert.ok(!(await visible(page, '#catalogue')), 'the catalogue is hidden');
  assert.ok(!(await visible(page, '#message')), 'no error message');
  const shotStats = (await shot(page, 'page-nginx-lesson-step2.png')).stats;
  assert.ok(shotStats.variance > 20, 'the lab is drawn');
  assert.deepEqual(errors, []);

  // Figures for docs/performance.md (reported, not asserted).
  const size = (f) => fs.statSync(path.join(dist, f)).size;
  const raw = size('topolab.wasm') + size('topolab.js');
  const gz = size('topolab.wasm.gz') + size('topolab.js.gz');
  console.log(`# web bundle: topolab.wasm + topolab.js = ${raw} B (${(raw / 1048576).toFixed(2)} MiB), gzip ${gz} B (${(gz / 1024).toFixed(0)} KiB)`);
  console.log(`# first frame ${t.first_frame_ms.toFixed(0)} ms after navigation start (module ready ${t.ready_ms.toFixed(0)} ms, catalogue usable ${(t.catalogue_ms || 0).toFixed(0)} ms), nginx on localhost, headless Chromium`);
  console.log('# every start-up mark and three fresh loads: node tests/e2e/startup_bench.mjs (docs/performance.md)');
  await context.close();
});

test('the pre-compressed files are valid gzip of their originals', { skip }, () => {
  for (const f of ['topolab.wasm', 'topolab.js', 'index.html']) {
    const gz = path.join(dist, f + '.gz');
    assert.ok(fs.existsSync(gz), `${f}.gz exists`);
    assert.ok(zlib.gunzipSync(fs.readFileSync(gz)).equals(fs.readFileSync(path.join(dist, f))), `${f}.gz matches`);
  }
});
