// Shared set-up for the browser tests: Debian's chromium driven by playwright-core (from the
// project's node_modules), the built site served on a loopback port, console errors collected,
// screenshots saved under build/screenshots for people to look at.
import { createRequire } from 'node:module';
import path from 'node:path';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { serve } from '../../scripts/serve.mjs';
import { decodePng, imageStats } from './png.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
export const root = path.resolve(here, '../..');
const require = createRequire(path.join(root, 'package.json'));
const { chromium } = require('playwright-core');

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--use-gl=angle', '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader', '--ignore-gpu-blocklist'];

export const shotsDir = path.join(root, 'build', 'screenshots');

export async function startLab(site = process.env.TOPOLAB_SITE || path.join(root, 'build', 'web', 'site')) {
  if (!fs.existsSync(path.join(site, 'topolab.wasm'))) throw new Error(`${site} has no topolab.wasm: build the web preset first`);
  const server = await serve(site, 0);
  const url = `http://127.0.0.1:${server.address().port}/`;
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS, headless: true });
  return { server, url, browser, async close() { await browser.close(); server.close(); } };
}

/// Opens a page, records console errors, waits until the lab has drawn `frames` frames.
export async function openLab(lab, query = '', frames = 30) {
  const page = await lab.browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(lab.url + query);
  // The lab has drawn `frames` frames and the page has handled its link (web/js/page.js start():
  // until then a world the test opens stays behind the catalogue, and its nodes have no place on
  // the screen yet).
  await page.waitForFunction((n) => window.Module && Module.topolab && Module.topolab.state().frames >= n
    && (!window.topolabPage || window.topolabPage.started), frames, { timeout: 60000 });
  return { page, errors };
}

export const state = (page) => page.evaluate(() => Module.topolab.state());

/// The node `name` as the state reports it once a frame has drawn it, with its place on the
/// screen (x, y): a state read right after a world was opened, before any frame, has none.
export async function drawnNode(page, name, ms = 20000) {
  const t0 = Date.now();
  for (;;) {
    const n = (await state(page)).nodes.find((x) => x.name === name);
    if (n && n.x !== undefined) return n;
    if (Date.now() - t0 > ms) throw new Error(`node ${name} was not drawn within ${ms} ms`);
    await page.waitForTimeout(50);
  }
}
export const command = (page, c) => page.evaluate((c) => Module.topolab.command(c), c);

export async function screenshot(page, name) {
  fs.mkdirSync(shotsDir, { recursive: true });
  const file = path.join(shotsDir, name);
  const buf = await page.screenshot({ path: file });
  return { file, stats: imageStats(decodePng(buf)) };
}
