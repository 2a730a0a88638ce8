// Browser end-to-end: the built page loads in Debian's chromium, the lab draws frames with no
// console errors, the canvas is not blank, the state hook reports the placeholder world, and a
// command given through the hook changes it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startLab, openLab, state, command, screenshot } from './browser.mjs';

let lab;
before(async () => { lab = await startLab(); });
after(async () => { await lab?.close(); });

test('the page loads, draws frames without console errors, and is not blank', async () => {
  const { page, errors } = await openLab(lab);
  const s = await state(page);
  assert.ok(s.frames >= 30, `frames ${s.frames}`);
  assert.ok(s.nodes.length >= 3, 'placeholder world has nodes');
  assert.ok(s.time_us > 0, 'simulated time advances while playing');
  const shot = await screenshot(page, 'web-first-frame.png');
  assert.ok(shot.stats.variance > 20 && shot.stats.colours > 8, `blank canvas? ${JSON.stringify(shot.stats)}`);
  assert.deepEqual(errors, []);
  await page.close();
});

test('messages fly: the in-flight count and the trace change as time runs', async () => {
  const { page } = await openLab(lab);
  await command(page, { op: 'ui.pause' });
  const a = await state(page);
  const r = await command(page, { op: 'ui.run_ms', value: 200 });
  assert.equal(r.ok, true);
  const b = await state(page);
  assert.equal(b.time_us - a.time_us, 200000);
  assert.notEqual(a.trace_hash, b.trace_hash);
  await page.close();
});

test('a crash through the hook shows up in the state; bad commands are refused with a reason', async () => {
  const { page, errors } = await openLab(lab);
  const s = await state(page);
  const name = s.nodes[0].name;
  assert.equal((await command(page, { op: 'crash', node: name })).ok, true);
  const after = await state(page);
  assert.equal(after.nodes[0].status, 'crashed');
  const bad = await command(page, { op: 'crash', node: 'no-such-node' });
  assert.equal(bad.ok, false);
  assert.match(bad.error, /no-such-node/);
  const garbage = await command(page, '{"op": ');
  assert.equal(garbage.ok, false);
  await screenshot(page, 'web-crashed-node.png');
  assert.deepEqual(errors, []);
  await page.close();
});
