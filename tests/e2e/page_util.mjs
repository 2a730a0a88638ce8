// Helpers for the page tests (tests/e2e/page_*.test.mjs): which built site to test, nginx started
// from web/nginx.conf.example on a free loopback port, fresh browser contexts with dialogs
// accepted, and waiting for the page (not just the lab) to be ready.
import { before, after } from 'node:test';
import { createRequire } from 'node:module';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { root, CHROMIUM_ARGS, shotsDir } from './browser.mjs';
import { serve } from '../../scripts/serve.mjs';
import { decodePng, imageStats } from './png.mjs';

const require = createRequire(path.join(root, 'package.json'));
const { chromium } = require('playwright-core');

/// The assembled site the page tests use: $TOPOLAB_SITE, else the web preset's build/web/site.
export function siteDir() {
  return path.resolve(process.env.TOPOLAB_SITE || path.join(root, 'build', 'web', 'site'));
}
/// dist/web from scripts/package ($TOPOLAB_DIST overrides dist/).
export function distDir() {
  return path.resolve(process.env.TOPOLAB_DIST || path.join(root, 'dist'), 'web');
}
/// Why a site cannot be tested, or '' when it can.
export function missingSite(dir) {
  for (const f of ['index.html', 'topolab.js', 'topolab.wasm', 'js/page.js']) {
    if (!fs.existsSync(path.join(dir, f))) return `${dir} has no ${f}`;
  }
  return '';
}

/// The bundled lessons of a site (its lessons/index.json).
export function siteLessons(dir) {
  const data = JSON.parse(fs.readFileSync(path.join(dir, 'lessons', 'index.json'), 'utf8'));
  return Array.isArray(data) ? data : data.lessons;
}

export function launch() {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS, headless: true });
}

/// A static server for `dir` (scripts/serve.mjs: no caching, CORS open) on a free loopback port.
export async function serveDir(dir) {
  const server = await serve(dir, 0);
  return { server, url: `http://127.0.0.1:${server.address().port}/`, close: () => new Promise((r) => server.close(r)) };
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
  });
}

/// nginx.conf for a test: the server block of web/nginx.conf.example with `listen` and `root`
/// replaced, inside a minimal main config that keeps every file in `tmp`.
export function nginxConfig(site, port, tmp) {
  const example = fs.readFileSync(path.join(root, 'web', 'nginx.conf.example'), 'utf8');
  const start = example.search(/^server\s*\{/m);
  if (start < 0) throw new Error('web/nginx.conf.example has no server { } block');
  let block = example.slice(start);
  block = block.replace(/^\s*listen\s+\[::\][^;]*;\s*$/m, '')
    .replace(/^(\s*)listen\s+[^;]*;/m, `$1listen 127.0.0.1:${port};`)
    .replace(/^(\s*)root\s+[^;]*;/m, `$1root ${site};`);
  const user = process.getuid && process.getuid() === 0 ? 'user root;\n' : '';
  return `${user}daemon off;
worker_processes 1;
pid ${tmp}/nginx.pid;
error_log ${tmp}/error.log warn;
events { worker_connections 64; }
http {
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  access_log ${tmp}/access.log;
  client_body_temp_path ${tmp}/body;
  proxy_temp_path ${tmp}/proxy;
  fastcgi_temp_path ${tmp}/fastcgi;
  uwsgi_temp_path ${tmp}/uwsgi;
  scgi_temp_path ${tmp}/scgi;
  sendfile on;
${block}
}
`;
}

/// Starts Debian's nginx (not as a daemon) serving `site` with the example server block.
export async function startNginx(site) {
  const bin = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((b) => fs.existsSync(b));
  if (!bin) throw new Error('nginx is not installed (scripts/setup installs the Debian package)');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'topolab-nginx-'));
  const port = await freePort();
  fs.writeFileSync(path.join(tmp, 'nginx.conf'), nginxConfig(site, port, tmp));
  const proc = spawn(bin, ['-p', tmp, '-c', path.join(tmp, 'nginx.conf'), '-e', path.join(tmp, 'error.log')],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout.on('data', (d) => { out += d; });
  proc.stderr.on('data', (d) => { out += d; });
  const url = `http://127.0.0.1:${port}/`;
  const deadline = Date.now() + 10000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`nginx exited (${proc.exitCode}): ${out}${readLog(tmp)}`);
    try { if ((await fetch(url)).ok) break; } catch (e) { /* not up yet */ }
    if (Date.now() > deadline) { proc.kill('SIGTERM'); throw new Error(`nginx did not answer on ${url}: ${out}${readLog(tmp)}`); }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url, tmp, proc,
    log: () => readLog(tmp),
    async close() {
      if (proc.exitCode === null) {
        const done = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGTERM');
        await Promise.race([done, new Promise((r) => setTimeout(r, 5000))]);
        if (proc.exitCode === null) proc.kill('SIGKILL');
      }
      fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
}
function readLog(tmp) {
  try { return '\n' + fs.readFileSync(path.join(tmp, 'error.log'), 'utf8'); } catch (e) { return ''; }
}

/// A fresh context and page (its own storage and service workers); dialogs are accepted;
/// console errors and page errors are collected.
export async function newPage(browser, opts = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...opts });
  const page = await context.newPage();
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('dialog', (d) => d.accept());
  return { context, page, errors };
}

/// Lets the browser finish its own start-up before a timed load. Headless Chromium opens every
/// new context in a new window, whose toolbar (a "top-chrome" WebUI renderer: the omnibox popup)
/// loads for 1-2 s of CPU; on a 2-core machine that ran beside the page and slowed every step of
/// its start-up. A student's browser has its window open already. SETTLE_MS (default 3000).
export async function settle(page) {
  await page.waitForTimeout(Number(process.env.SETTLE_MS || 3000));
}

/// Navigates and waits until the page has handled its link (catalogue or lab shown).
export async function gotoPage(page, url, timeout = 60000) {
  await page.goto(url);
  await waitPage(page, timeout);
}
export async function waitPage(page, timeout = 60000) {
  await page.waitForFunction(() => window.topolabPage && window.topolabPage.started, null, { timeout });
}

export const labState = (page) => page.evaluate(() => Module.topolab.state());
export const labCommand = (page, c) => page.evaluate((c) => Module.topolab.command(c), c);
export const visible = (page, sel) => page.evaluate((s) => {
  const e = document.querySelector(s);
  return !!e && !e.closest('.hidden') && getComputedStyle(e).display !== 'none';
}, sel);

/// Saves a screenshot in build/screenshots/ and returns simple statistics of it.
export async function shot(page, name) {
  fs.mkdirSync(shotsDir, { recursive: true });
  const file = path.join(shotsDir, name);
  const buf = await page.screenshot({ path: file });
  return { file, stats: imageStats(decodePng(buf)) };
}

/// Waits for the lab to draw `n` more frames.
export async function frames(page, n = 5) {
  const f0 = (await labState(page)).frames;
  await page.waitForFunction((t) => Module.topolab.state().frames >= t, f0 + n, { timeout: 30000 });
}

/// The usual set-up of a page test file: the built site served on loopback and one browser,
/// started before its tests and closed after them. `env.skip` says why the tests cannot run
/// (no built site); `env.lab.url` and `env.browser` are there once they start.
export function siteSuite() {
  const site = siteDir();
  const missing = missingSite(site);
  const env = { skip: missing ? `the web site is not built (${missing}): build the web preset (or set TOPOLAB_SITE)` : false, lab: null, browser: null };
  before(async () => {
    if (env.skip) return;
    env.lab = await serveDir(site);
    env.browser = await launch();
  });
  after(async () => { await env.browser?.close(); await env.lab?.close(); });
  return env;
}

// Moves the keyboard focus with Tab (never a click, never focus()) until `loc` has it.
export async function tabTo(page, loc, max = 80) {
  const seen = [];
  // A control's text (a button's name) also identifies it: the panel re-renders its lists while
  // the world changes, so the element the locator resolved a moment ago may have been replaced.
  const want = ((await loc.textContent({ timeout: 5000 }).catch(() => '')) || '').trim();
  for (let i = 0; i < max; i++) {
    if (await loc.evaluate((e) => e === document.activeElement, null, { timeout: 2000 }).catch(() => false)) return;
    if (want && await page.evaluate((w) => {
      const a = document.activeElement;
      return !!a && a.tagName === 'BUTTON' && a.textContent.trim() === w;
    }, want)) return;
    await page.keyboard.press('Tab');
    seen.push(await page.evaluate(() => { const a = document.activeElement; return a ? `${a.tagName}#${a.id}:${(a.textContent || '').slice(0, 20)}` : 'none'; }));
  }
  throw new Error(`Tab never reached ${loc}; focus went ${seen.slice(0, 30).join(' > ')}`);
}
// Waits until a button can be pressed, tabs to it and presses Enter.
export async function press(page, loc, timeout = 90000) {
  await loc.waitFor({ state: 'visible', timeout });
  await page.waitForFunction((e) => !e.disabled, await loc.elementHandle(), { timeout });
  await tabTo(page, loc);
  await page.keyboard.press('Enter');
}

