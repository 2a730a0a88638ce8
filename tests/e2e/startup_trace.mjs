// Where the page's start-up time goes (issue 21), reported, never asserted: loads a built site
// from nginx once in a fresh browser context under a Chromium performance trace and prints the
// renderer main thread's busy time up to the first frame, by kind (parse HTML, script compile
// and run per file, wasm compile, GC, layout and paint, GPU) and the longest tasks, with the
// page's own start-up marks (topolabPage.timings) for orientation.
//
// usage: node tests/e2e/startup_trace.mjs [SITE_DIR]   (default: dist/web, else build/web/site)
//   TRACE_OUT=file.json   also keep the raw trace (open it in chrome://tracing or Perfetto)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { distDir, siteDir, missingSite, launch, startNginx, newPage, waitPage, settle } from './page_util.mjs';

const site = path.resolve(process.argv[2] || (missingSite(distDir()) ? siteDir() : distDir()));
const why = missingSite(site);
if (why) { console.error(`startup_trace: ${why}`); process.exit(2); }

const nginx = await startNginx(site);
const browser = await launch();
let trace;
let timings;
try {
  // A first, untraced load starts the browser's GPU process, as a student's browser has.
  {
    const { context, page } = await newPage(browser);
    await page.goto(nginx.url);
    await waitPage(page);
    await context.close();
  }
  const { context, page } = await newPage(browser);
  await settle(page);
  await browser.startTracing(page, {
    categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'v8.wasm',
      'blink', 'blink.user_timing', 'loading', 'gpu', 'toplevel', 'disabled-by-default-v8.compile'],
  });
  await page.goto(nginx.url);
  await waitPage(page);
  timings = await page.evaluate(() => ({ ...window.topolabPage.timings }));
  trace = JSON.parse((await browser.stopTracing()).toString('utf8'));
  await context.close();
} finally {
  await browser.close();
  await nginx.close();
}
if (process.env.TRACE_OUT) fs.writeFileSync(process.env.TRACE_OUT, JSON.stringify(trace));

const events = trace.traceEvents || trace;
// The renderer's main thread: the thread named CrRendererMain of the process that navigated.
const names = new Map();
for (const e of events) if (e.ph === 'M' && e.name === 'thread_name') names.set(`${e.pid}:${e.tid}`, e.args.name);
const nav = events.find((e) => e.name === 'navigationStart' && e.args && e.args.data && e.args.data.isLoadingMainFrame
  && /^http/.test(e.args.data.documentLoaderURL || ''));
if (!nav) { console.error('startup_trace: no navigationStart in the trace'); process.exit(1); }
const main = `${nav.pid}:${nav.tid}`;
const t0 = nav.ts;
const end = t0 + (timings.first_frame_ms || 0) * 1000;
const ms = (us) => (us / 1000).toFixed(0);

// Top-level tasks on the main thread, and what is inside them (complete events, ph 'X').
const onMain = events.filter((e) => `${e.pid}:${e.tid}` === main && e.ph === 'X' && e.ts >= t0 && e.ts <= end);
const within = (outer, e) => e.ts >= outer.ts && e.ts + (e.dur || 0) <= outer.ts + outer.dur;
// Chromium nests RunTask inside ThreadControllerImpl::RunTask: keep the outermost of each.
const anyTask = onMain.filter((e) => e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask')
  .sort((a, b) => a.ts - b.ts || b.dur - a.dur);
const tasks = [];
for (const e of anyTask) if (!tasks.length || !within(tasks[tasks.length - 1], e)) tasks.push(e);
const kinds = new Map();
const add = (k, d) => kinds.set(k, (kinds.get(k) || 0) + d);
const url = (e) => { const d = e.args && e.args.data; const u = d && (d.url || (d.stackTrace && d.stackTrace[0] && d.stackTrace[0].url)); return u ? path.basename(u.split('?')[0]) : ''; };
const LEAF = {
  ParseHTML: 'parse HTML', ParseAuthorStyleSheet: 'parse CSS', 'v8.compile': 'script compile',
  EvaluateScript: 'script run', 'v8.evaluateModule': 'script run', FunctionCall: 'script run',
  TimerFire: 'script run', FireAnimationFrame: 'animation frame (the lab\'s frames)',
  'wasm.SyncCompile': 'wasm compile', 'wasm.CompileLazy': 'wasm compile (lazy)', 'v8.wasm.compileLazy': 'wasm compile (lazy)',
  MinorGC: 'GC', MajorGC: 'GC', 'V8.GC_SCAVENGER': 'GC', UpdateLayoutTree: 'style', Layout: 'layout',
  Paint: 'paint', PrePaint: 'paint', Layerize: 'paint', Commit: 'paint',
};
let busy = 0;
for (const task of tasks) {
  busy += task.dur;
  const inner = onMain.filter((e) => e !== task && LEAF[e.name] && within(task, e));
  // Attribute each task to its outermost known event (nested script runs count once).
  const outer = inner.filter((e) => !inner.some((o) => o !== e && within(o, e) && o.dur > e.dur));
  let covered = 0;
  for (const e of outer) {
    const u = url(e);
    add(LEAF[e.name] + (u && LEAF[e.name].startsWith('script') ? ` ${u}` : ''), e.dur);
    covered += e.dur;
  }
  if (task.dur > covered) add('other (browser internals)', task.dur - covered);
}
console.log(`# site ${site}; ${os.cpus().length} cores, load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
console.log(`# the second load of one browser (the GPU process already up), traced`);
console.log(`# marks (ms since navigation start): ${Object.entries(timings).map(([k, v]) => `${k.replace(/_ms$/, '')} ${v.toFixed(0)}`).join(', ')}`);
console.log(`# main thread busy until the first frame: ${ms(busy)} ms of ${ms(end - t0)} ms`);
for (const [k, v] of [...kinds].sort((a, b) => b[1] - a[1])) console.log(`  ${ms(v).padStart(6)} ms  ${k}`);
// Across everything on the main thread: the costs that hide inside script runs and frames.
const total = (pred) => onMain.filter(pred).reduce((a, e) => a + e.dur, 0);
console.log('# inside those (all main-thread tasks until the first frame)');
console.log(`  ${ms(total((e) => e.name === 'wasm.CompileLazy')).padStart(6)} ms  wasm functions compiled on their first call (lazy, Liftoff)`);
console.log(`  ${ms(total((e) => e.name === 'CommandBufferProxyImpl::WaitForGetOffset')).padStart(6)} ms  waiting for the GPU process (synchronous GL: glGet*, status checks)`);
console.log(`  ${ms(total((e) => e.name === 'v8.wasm.compileConsume' || e.name === 'wasm.OnBytesReceived')).padStart(6)} ms  wasm streaming compile work on the main thread`);
const background = events.filter((e) => e.ph === 'X' && e.name === 'wasm.ExecuteCompilationUnits' && e.ts >= t0 && e.ts <= end)
  .reduce((a, e) => a + e.dur, 0);
console.log(`  ${ms(background).padStart(6)} ms  (other threads) wasm top-tier compilation, competing for the cores`);
// Between the page's own marks (performance.mark "topolab:NAME", the same as topolabPage.timings):
// how long each step took, and how much of it the main thread spent compiling wasm functions on
// their first call or waiting for the GPU process.
const marks = events.filter((e) => typeof e.name === 'string' && e.name.startsWith('topolab:') && e.ts >= t0)
  .sort((a, b) => a.ts - b.ts)
  .filter((e, i, a) => i === 0 || a[i - 1].name !== e.name);
const sumIn = (from, to, pred) => onMain.filter((e) => pred(e) && e.ts >= from && e.ts < to)
  .reduce((a, e) => a + Math.min(e.dur, to - e.ts), 0);
console.log('# step (from the previous mark)        ms   lazy wasm compile   GPU waits');
let prev = t0;
for (const m of marks) {
  const lazy = sumIn(prev, m.ts, (e) => e.name === 'wasm.CompileLazy');
  const gpu = sumIn(prev, m.ts, (e) => e.name === 'CommandBufferProxyImpl::WaitForGetOffset');
  console.log(`  ${m.name.slice(8).replace(/_ms$/, '').padEnd(32)} ${ms(m.ts - prev).padStart(6)} ${ms(lazy).padStart(12)} ${ms(gpu).padStart(12)}`);
  prev = m.ts;
}
console.log('# longest main-thread tasks (start ms: duration ms, what)');
for (const task of [...tasks].sort((a, b) => b.dur - a.dur).slice(0, 12)) {
  const inner = onMain.filter((e) => e !== task && LEAF[e.name] && within(task, e)).sort((a, b) => b.dur - a.dur)[0];
  const what = inner ? `${inner.name}${url(inner) ? ' ' + url(inner) : ''}${inner.args && inner.args.data && inner.args.data.functionName ? ' ' + inner.args.data.functionName : ''}` : '';
  console.log(`  ${ms(task.ts - t0).padStart(6)}: ${ms(task.dur).padStart(5)}  ${what}`);
}
