// "Share this moment": the link built from state().share (scenario or lesson, seed, and the command
// log in the fragment) opened in a fresh browser context rebuilds the same world: the same trace
// hash, simulated time and nodes; so does the desktop lab (`topolab --open LINK`, when built). Also:
// a damaged link says so instead of breaking the page; a replay file (a chaos counterexample) opens
// at its moment with its scenario parameters, as the CLI and the desktop lab open it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { root } from './browser.mjs';
import { siteDir, siteLessons, newPage, gotoPage, labState, labCommand, visible, shot, siteSuite } from './page_util.mjs';

const site = siteDir();
const env = siteSuite();
const { skip } = env;

const world = (s) => ({
  scenario: s.scenario, seed: s.seed, time_us: s.time_us, trace_hash: s.trace_hash, commands: s.commands,
  nodes: s.nodes.map((n) => ({ name: n.name, status: n.status, role: n.role })),
});

/// Clicks "Share this moment" and returns the link it made.
async function clickShare(page) {
  await page.evaluate(() => { window.topolabPage.lastShareLink = ''; });
  await page.click('#btn-share');
  await page.waitForFunction(() => window.topolabPage.lastShareLink !== '');
  return page.evaluate(() => window.topolabPage.lastShareLink);
}

test('a shared link with seed and command log reproduces the same world (scenario)', { skip }, async () => {
  const { context, page, errors } = await newPage(env.browser);
  await gotoPage(page, env.lab.url + '?scenario=ping&seed=11');
  assert.ok(await visible(page, '#topbar'), 'the lab is shown');
  let s = await labState(page);
  assert.equal(s.seed, 11);
  await labCommand(page, { op: 'ui.pause' });
  await labCommand(page, { op: 'ui.run_ms', value: 150 });
  assert.equal((await labCommand(page, { op: 'crash', node: s.nodes[0].name })).ok, true);
  await labCommand(page, { op: 'ui.run_ms', value: 250 });
  assert.equal((await labCommand(page, { op: 'restart', node: s.nodes[0].name })).ok, true);
  await labCommand(page, { op: 'ui.run_ms', value: 120 });
  s = await labState(page);
  const link = await clickShare(page);
  assert.match(link, /[?&]scenario=ping/);
  assert.match(link, /[?&]seed=11/);
  assert.match(link, /#at=\d+&log=[zt]\./);
  assert.ok(await visible(page, '#toast'), 'the page says the link was copied (or shows it)');
  await shot(page, 'page-share-original.png');

  const other = await newPage(env.browser);
  await gotoPage(other.page, link);
  const r = await labState(other.page);
  assert.deepEqual(world(r), world(s));
  assert.ok(!(await visible(other.page, '#message')), 'no error');
  await shot(other.page, 'page-share-replayed.png');
  assert.deepEqual(errors, []);
  assert.deepEqual(other.errors, []);
  await other.context.close();
  await context.close();
  desktopOpens(link, s);
});

/// The desktop lab (build/release/topolab, when built) opens the link the page made, under Xvfb:
/// the same moment and trace hash as the browser.
function desktopOpens(link, s) {
  const app = path.join(root, 'build', 'release', 'topolab');
  if (!fs.existsSync(app)) return;
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'topolab-share-'));
  try {
    const state = path.join(home, 'state.json');
    const r = spawnSync('xvfb-run', ['-a', '-s', '-screen 0 1280x800x24', app, '--open', link, '--frames', '3', '--state', state],
      { encoding: 'utf8', env: { ...process.env, HOME: home }, timeout: 60000 });
    assert.equal(r.status, 0, `topolab --open failed:\n${r.stdout}${r.stderr}`);
    const d = JSON.parse(fs.readFileSync(state, 'utf8'));
    assert.equal(d.error, '');
    assert.deepEqual({ scenario: d.scenario, seed: d.seed, time_us: d.time_us, trace_hash: d.trace_hash },
      { scenario: s.scenario, seed: s.seed, time_us: s.time_us, trace_hash: s.trace_hash }, 'the desktop lab rebuilds the same world');
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
}

test('a shared moment inside a lesson rebuilds the same world', { skip }, async () => {
  const lesson = siteLessons(site)[0];
  const { context, page } = await newPage(env.browser);
  await gotoPage(page, `${env.lab.url}?lesson=${encodeURIComponent(lesson.id)}`);
  await labCommand(page, { op: 'ui.pause' });
  await labCommand(page, { op: 'ui.run_ms', value: 300 });
  let s = await labState(page);
  const victim = s.nodes.find((n) => n.status === 'up');
  assert.equal((await labCommand(page, { op: 'crash', node: victim.name })).ok, true);
  await labCommand(page, { op: 'ui.run_ms', value: 200 });
  s = await labState(page);
  const link = await clickShare(page);
  assert.match(link, new RegExp(`[?&]lesson=${lesson.id}`));
  const other = await newPage(env.browser);
  await gotoPage(other.page, link);
  const r = await labState(other.page);
  assert.deepEqual(world(r), world(s));
  await other.context.close();
  await context.close();
});

test('a damaged shared link shows a message and the catalogue', { skip }, async () => {
  const { context, page } = await newPage(env.browser);
  await gotoPage(page, env.lab.url + '?scenario=ping&seed=2#at=5&log=z.!!notbase64');
  assert.ok(await visible(page, '#message'));
  assert.match(await page.textContent('#message-title'), /damaged/);
  assert.ok(await visible(page, '#catalogue'));
  await context.close();
});

test('a replay file (a chaos counterexample) opens at its moment with its parameters; its link and the CLI agree', { skip }, async () => {
  const text = ['# Topolab replay', 'scenario raft-3', 'seed 7', 'set raft.persist_vote=false', 'at 1500000', 'log',
    '400000 crash node=n1', '900000 restart node=n1', '2000000 crash node=n2', ''].join('\n');
  const { context, page, errors } = await newPage(env.browser);
  await gotoPage(page, env.lab.url);
  await page.setInputFiles('#file-input', { name: 'raft-3-seed7.replay', mimeType: 'text/plain', buffer: Buffer.from(text) });
  await page.waitForFunction(() => { const s = Module.topolab.state(); return s.scenario === 'raft-3' && s.time_us === 1500000; });
  const s = await labState(page);
  assert.equal(s.share.params, 'raft.persist_vote=false', 'the scenario parameters are the file\'s');
  assert.equal(s.commands, 2, 'paused at its moment: the command after it is still to come');
  assert.ok(!(await visible(page, '#message')), 'no error');
  // The CLI reads the same file to the same trace hash.
  const cli = path.join(root, 'build', 'release', 'topolab-cli');
  if (fs.existsSync(cli)) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'topolab-replay-'));
    const file = path.join(dir, 'raft-3-seed7.replay');
    fs.writeFileSync(file, text);
    const r = spawnSync(cli, ['hash', '--replay', file], { encoding: 'utf8' });
    fs.rmSync(dir, { recursive: true, force: true });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim().split('\n').pop(), s.trace_hash, 'topolab-cli hash --replay gives the browser\'s trace hash');
  }
  // Playing on replays what followed: n2 crashes at 2 s.
  await labCommand(page, { op: 'ui.run_ms', value: 600 });
  assert.equal((await labState(page)).nodes.find((n) => n.name === 'n2').status, 'crashed');
  // Its link carries the parameters (set=KEY=VALUE, as the desktop's links do) and rebuilds it.
  await labCommand(page, { op: 'ui.pause' });
  const now = await labState(page);
  const link = await clickShare(page);
  assert.match(link, /[?&]set=raft\.persist_vote%3Dfalse/);
  const other = await newPage(env.browser);
  await gotoPage(other.page, link);
  await other.page.waitForFunction(() => Module.topolab.state().scenario === 'raft-3');
  assert.deepEqual(world(await labState(other.page)), world(now));
  await other.context.close();
  // A broken replay file: a message naming the file and line; the world shown stays.
  await page.setInputFiles('#file-input', { name: 'broken.replay', mimeType: 'text/plain', buffer: Buffer.from('scenario raft-3\nseed x\n') });
  await page.waitForFunction(() => !document.getElementById('message').classList.contains('hidden'));
  assert.match(await page.textContent('#message'), /broken\.replay:2: seed wants a whole number/);
  assert.equal((await labState(page)).trace_hash, now.trace_hash);
  assert.deepEqual(errors, []);
  await context.close();
});
