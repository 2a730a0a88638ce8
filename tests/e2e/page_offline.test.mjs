// Offline use: after one visit the service worker has cached the page, the module and the bundled
// lessons; with the network blocked a reload still shows the catalogue and a deep link still opens
// a lesson. Uses the packaged dist/web under nginx when it is built (cache-first, as learners get
// it), else the build's site under the small Node server. A changed, re-stamped site installs a
// new worker that replaces the cache and offers a reload.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { root } from './browser.mjs';
import { siteDir, distDir, missingSite, siteLessons, launch, serveDir, startNginx, newPage, gotoPage, waitPage, labState, visible, shot } from './page_util.mjs';

const useDist = !missingSite(distDir());
const site = useDist ? distDir() : siteDir();
const missing = missingSite(site);
const skip = missing ? `the web site is not built (${missing}): build the web preset or run scripts/package web` : false;

let server, browser;
before(async () => {
  if (skip) return;
  server = useDist ? await startNginx(site) : await serveDir(site);
  browser = await launch();
});
after(async () => { await browser?.close(); await server?.close(); });

test('with the service worker installed, a reload with the network off still opens a lesson', { skip }, async () => {
  const lesson = siteLessons(site)[0];
  const { context, page, errors } = await newPage(browser);
  await gotoPage(page, server.url);
  // The worker installs (precaching everything) and takes control of the page.
  await page.waitForFunction(() => navigator.serviceWorker && navigator.serviceWorker.controller, null, { timeout: 60000 });
  const cached = await page.evaluate(async () => {
    const names = (await caches.keys()).filter((n) => n.startsWith('topolab-') && n !== 'topolab-runtime');
    const c = await caches.open(names[0]);
    return { names, keys: (await c.keys()).map((r) => new URL(r.url).pathname) };
  });
  assert.equal(cached.names.length, 1, `one build cache: ${cached.names}`);
  for (const f of ['/topolab.wasm', '/topolab.js', '/index.html', '/lessons/index.json', '/lessons/' + lesson.file]) {
    assert.ok(cached.keys.includes(f), `${f} is cached (have ${cached.keys.join(' ')})`);
  }

  await context.setOffline(true);
  await page.reload();
  await waitPage(page);
  assert.ok(await visible(page, '#catalogue'), 'the catalogue shows offline');
  assert.ok((await page.$$('#lesson-list .lesson')).length >= 1, 'with the bundled lessons');
  await gotoPage(page, `${server.url}?lesson=${encodeURIComponent(lesson.id)}&step=2`);
  const s = await labState(page);
  assert.ok(s.lesson, `a lesson opens offline (error: ${s.error})`);
  assert.equal(s.lesson.id, lesson.id);
  assert.equal(s.lesson.step, 2);
  await shot(page, 'page-offline-lesson.png');
  await context.setOffline(false);
  assert.deepEqual(errors.filter((e) => !/ERR_INTERNET_DISCONNECTED|Failed to load resource/.test(e)), []);
  await context.close();
});

test('a new build replaces the offline cache: new cache name, old one deleted, the page offers a reload', { skip }, async () => {
  // A copy of the site that can be "rebuilt": change a file and stamp it again.
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'topolab-swupdate-'));
  fs.cpSync(site, tmp, { recursive: true });
  const stamp = () => execFileSync('cmake', [`-DSITE=${tmp}`, '-DVERSION=0.0.0', '-P', path.join(root, 'cmake', 'stamp_site.cmake')]);
  const build = () => JSON.parse(fs.readFileSync(path.join(tmp, 'build.json'), 'utf8')).build;
  stamp();
  const first = build();
  const srv = await serveDir(tmp);
  const { context, page } = await newPage(browser);
  try {
    await gotoPage(page, srv.url);
    await page.waitForFunction(() => navigator.serviceWorker && navigator.serviceWorker.controller, null, { timeout: 60000 });
    const names = () => page.evaluate(async () => (await caches.keys()).filter((n) => n !== 'topolab-runtime'));
    assert.deepEqual(await names(), ['topolab-' + first]);
    fs.appendFileSync(path.join(tmp, 'css', 'lab.css'), '\n/* a new build */\n');
    stamp();
    const second = build();
    assert.notEqual(second, first, 'the stamp follows the files');
    // The browser checks sw.js (here on request; on a real visit at navigation), finds it changed
    // with the stamp, and the new worker fills its cache, deletes the old one and takes control
    // of the open page, which still runs the old build's files and so offers a reload.
    // (Headless Chromium takes about a minute to start this update while the page renders.)
    await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r.update()));
    const t0 = Date.now();
    while (JSON.stringify(await names()) !== JSON.stringify(['topolab-' + second])) {
      assert.ok(Date.now() - t0 < 90000, `the new build's cache replaces the old one (caches: ${await names()})`);
      await new Promise((r) => setTimeout(r, 250));
    }
    await page.waitForSelector('#toast:not(.hidden)', { timeout: 10000 });
    assert.match(await page.textContent('#toast'), /new version/);
  } finally {
    await context.close();
    await srv.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
