// Start-up benchmark of the page (issue 21), reported, never asserted: serves a built site with
// nginx (web/nginx.conf.example, as tests/e2e/page_nginx.test.mjs does), loads it RUNS times
// (default 3) in a fresh browser context each (no cache, no service worker), and prints every
// mark of topolabPage.timings (milliseconds since navigation start) per run and their medians,
// the bundle's raw and gzip sizes and the machine's load average.
//
// usage: node tests/e2e/startup_bench.mjs [SITE_DIR]     (default: dist/web, else build/web/site)
//   RUNS=N        loads to measure (default 3)
//   URL_QUERY=... appended to the page's address (e.g. "?lesson=intro&step=2")
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { distDir, siteDir, missingSite, launch, startNginx, newPage, waitPage, settle } from './page_util.mjs';

const site = path.resolve(process.argv[2] || (missingSite(distDir()) ? siteDir() : distDir()));
const why = missingSite(site);
if (why) { console.error(`startup_bench: ${why}`); process.exit(2); }
const runs = Number(process.env.RUNS || 3);
const query = process.env.URL_QUERY || '';

const size = (f) => fs.statSync(path.join(site, f)).size;
const gz = (f) => (fs.existsSync(path.join(site, f + '.gz')) ? size(f + '.gz')
  : zlib.gzipSync(fs.readFileSync(path.join(site, f)), { level: 9 }).length);
const raw = size('topolab.wasm') + size('topolab.js');
const gzip = gz('topolab.wasm') + gz('topolab.js');

const ORDER = ['loader_ms', 'webgl_ms', 'catalogue_ms', 'catalogue_painted_ms', 'wasm_response_ms', 'js_loaded_ms', 'wasm_downloaded_ms', 'font_ms',
  'instantiated_ms', 'runtime_ms', 'ready_ms', 'main_ms', 'gl_context_ms', 'style_ms', 'font_atlas_ms', 'app_ms',
  'device_objects_ms', 'first_frame_drawn_ms', 'first_frame_ms'];
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

const nginx = await startNginx(site);
const browser = await launch();
const rows = [];
try {
  for (let i = 0; i < runs; i++) {
    const { context, page } = await newPage(browser);
    await settle(page);
    await page.goto(nginx.url + query);
    await waitPage(page);
    const t = await page.evaluate(() => ({ ...window.topolabPage.timings,
      dom_content_loaded_ms: performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd }));
    rows.push(t);
    await context.close();
  }
} finally {
  await browser.close();
  await nginx.close();
}
const keys = [...ORDER.filter((k) => rows.some((r) => r[k])), 'dom_content_loaded_ms',
  ...Object.keys(rows[0]).filter((k) => !ORDER.includes(k) && k !== 'dom_content_loaded_ms' && k !== 'navigation_ms')];
console.log(`# site ${site}${query}; ${os.cpus().length} cores, load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
console.log(`# web bundle: topolab.wasm + topolab.js = ${raw} B, gzip ${gzip} B`);
console.log('# mark (ms since navigation start)'.padEnd(36) + rows.map((_, i) => `run ${i + 1}`.padStart(9)).join('') + '   median');
for (const k of keys) {
  const v = rows.map((r) => r[k] || 0);
  console.log(`  ${k.padEnd(34)}` + v.map((x) => x.toFixed(0).padStart(9)).join('') + median(v).toFixed(0).padStart(9));
}
console.log(`# first frame median ${median(rows.map((r) => r.first_frame_ms)).toFixed(0)} ms` +
  (rows[0].catalogue_ms !== undefined ? `, catalogue usable median ${median(rows.map((r) => r.catalogue_ms || 0)).toFixed(0)} ms` +
    ` (painted ${median(rows.map((r) => r.catalogue_painted_ms || 0)).toFixed(0)} ms)` : ''));
